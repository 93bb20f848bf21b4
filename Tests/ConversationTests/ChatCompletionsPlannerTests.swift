import Foundation
import IRGConversation
import IRGTestSupport
import Testing

/// The OpenAI-compatible planner against a stand-in endpoint (a small HTTP
/// server on loopback: no real LLM can run here): both of Motion-Agent's quote
/// styles, a JSON list, malformed JSON with one retry, a timeout, an HTTP error.
@Suite struct ChatCompletionsPlannerTests {
    func planner(_ stub: PlannerEndpointStub, timeout: Double = 10) -> ChatCompletionsPlanner {
        ChatCompletionsPlanner(url: URL(string: stub.url)!, model: "stub-model", apiKey: "sk-test", timeoutSeconds: timeout)
    }

    func context(_ message: String, history: [PlannerTurn] = []) -> PlannerContext {
        PlannerContext(history: history, message: message, exchange: [.user(message)], motionAvailable: false)
    }

    static let answers: [(String, PlannerAnswer)] = [
        (#"{"plan": "1. MotionLLM.generate('A person walks forward.'); 2. MotionLLM.generate('A person sits down.')"}"#,
         .plan(["A person walks forward.", "A person sits down."], reasoning: "")),
        (#"{"plan": "1. MotionLLM.generate(\"A person walks forward.\"); 2. MotionLLM.generate(\"A person waves at someone's friend.\")", "reasoning": "ok"}"#,
         .plan(["A person walks forward.", "A person waves at someone's friend."], reasoning: "ok")),
        ("Sure!\n```json\n{\"plan\": [\"1. a person jumps.\", {\"text\": \"a person bows.\"}]}\n```",
         .plan(["a person jumps.", "a person bows."], reasoning: "")),
        (#"{"plan": "1. MotionLLM.caption(<motion_file>)"}"#, .caption),
        (#"{"reasoning": "The person is probably skating."}"#, .reply("The person is probably skating.")),
    ]

    @Test(arguments: answers) func answersInEveryAcceptedFormAreRead(_ content: String, _ expected: PlannerAnswer) async throws {
        let stub = try PlannerEndpointStub([.answer(content)])
        defer { stub.close() }
        let result = try await planner(stub).answer(context("walk then sit"))
        #expect(result.answer == expected)
        #expect(result.added == [.assistant(content)])
        #expect(stub.requestPaths == ["/v1/chat/completions"])
        #expect(stub.header("Authorization", ofRequest: 0) == "Bearer sk-test")
        #expect(stub.requests[0]["model"] as? String == "stub-model")
    }

    @Test func theSystemPromptAndTheWholeConversationAreSent() async throws {
        let stub = try PlannerEndpointStub([.answer(#"{"plan": "1. MotionLLM.generate('a person jumps.')"}"#)])
        defer { stub.close() }
        let earlier = PlannerTurn(message: "walk", plan: ["a person walks."],
                                  exchange: [.user("walk"), .assistant(#"{"plan": "1. MotionLLM.generate('a person walks.')"}"#)])
        _ = try await planner(stub).answer(context("now jump", history: [earlier]))
        let sent = stub.messages(ofRequest: 0)
        #expect(sent.map(\.role) == ["system", "user", "assistant", "user"])
        #expect(sent[0].content == PlannerPrompt.system && sent[3].content == "now jump")
    }

    @Test func malformedJSONIsRetriedOnceWithTheErrorShown() async throws {
        let good = #"{"plan": "1. MotionLLM.generate('a person jumps.')"}"#
        let stub = try PlannerEndpointStub([.answer(#"{"plan": "1. MotionLLM.generate('a person jumps.')""#), .answer(good)])
        defer { stub.close() }
        let result = try await planner(stub).answer(context("jump"))
        #expect(result.answer == .plan(["a person jumps."], reasoning: ""))
        #expect(result.added.count == 3 && result.added[1].role == "user" && result.added[1].content.contains("could not be used"))
        let retry = stub.messages(ofRequest: 1)
        #expect(retry.count == 4 && retry[3].content.contains("JSON"), "the retry shows the model its answer and the error")
    }

    @Test func twoUnusableAnswersAreAClearError() async throws {
        let stub = try PlannerEndpointStub([.answer("I think a walk would be nice."), .answer(#"{"plan": "walk around"}"#)])
        defer { stub.close() }
        await #expect(throws: PlannerError.unusableAnswer("the plan names no MotionLLM.generate('...') or MotionLLM.caption(...) call")) {
            _ = try await planner(stub).answer(context("walk"))
        }
    }

    @Test func aSilentEndpointTimesOut() async throws {
        let stub = try PlannerEndpointStub([.silence(seconds: 3)])
        defer { stub.close() }
        do {
            _ = try await planner(stub, timeout: 1).answer(context("walk"))
            Issue.record("no timeout")
        } catch let error as PlannerError {
            guard case .timedOut = error else { Issue.record("\(error)"); return }
        }
    }

    @Test func httpErrorsAndAMissingEndpointAreReported() async throws {
        let stub = try PlannerEndpointStub([.status(401, "bad key")])
        await #expect(throws: PlannerError.refused(status: 401, "bad key")) { _ = try await planner(stub).answer(context("walk")) }
        stub.close()
        do {
            _ = try await planner(stub).answer(context("walk"))
            Issue.record("a closed endpoint answered")
        } catch let error as PlannerError {
            guard case .unreachable = error else { Issue.record("\(error)"); return }
        }
    }
}
