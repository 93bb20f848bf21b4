import Foundation
import IRGMotion
import IRGProto
@testable import IRGRPC
import IRGService
import IRGTestSupport
import Testing

/// MotionOrchestrator/Converse through real services on the demo models: a
/// conversation across an orchestrator restart, bad input, a chat endpoint
/// played by a stand-in HTTP server, and `irg converse` / `irg chat`.
@Suite(.serialized) struct ConversationServiceTests {
    static let bundled = DemoModelTests.bundled
    static let timeout = CallOptions(timeoutMilliseconds: 240_000)

    static func converse(_ client: NngClient, _ message: String, session: String = "", key: String = "",
                         _ populate: (inout Irg_V1_ConverseRequest) -> Void = { _ in }) async throws -> Irg_V1_ConverseResponse {
        var request = Irg_V1_ConverseRequest()
        request.sessionID = session
        request.message = message
        request.idempotencyKey = key
        request.options.maxRounds = 1
        request.options.sampling.seed = 3
        populate(&request)
        return try await client.call(Irg_V1_MotionOrchestrator.converse, request, options: timeout)
    }

    /// Steps follow one another: each range starts where the last ended, is 4 frames per code, and the last ends the motion.
    static func expectContiguous(_ reply: Irg_V1_ConverseResponse) {
        var start: UInt32 = 0
        for step in reply.turn.plan {
            #expect(step.startFrame == start && step.endFrame - step.startFrame == 4 * UInt32(step.codes.codes.count))
            #expect(step.durationFrames == step.endFrame - step.startFrame)
            start = step.endFrame
        }
        #expect(UInt64(start) == reply.motion.features.shape.first, "the last step ends the decoded motion")
        #expect(reply.turn.codes.codes == reply.turn.plan.flatMap(\.codes.codes))
    }

    @Test(.enabled(if: bundled, "Models/demo is not in this checkout"))
    func aConversationPlansEditsAndAnswersAcrossARestart() async throws {
        let suite = try DemoModelTests.DemoSuite()
        defer { suite.close() }
        try await suite.waitUntilServing()
        var client = try suite.client("orchestrator")

        let first = try await Self.converse(client, "walk forward, then wave with the right hand twice and bow")
        let session = first.sessionID
        #expect(first.turn.plan.map(\.text) == ["a person walks forward.", "a person waves with the right hand.",
                                                "a person waves with the right hand.", "a person bows."])
        #expect(first.turn.plan.map(\.reused) == [false, false, true, false], "the second wave reuses the first's codes")
        #expect(first.turn.plan[2].codes == first.turn.plan[1].codes && !first.turn.plan[1].rounds.isEmpty)
        #expect(first.turn.state == "done" && first.turn.planner == "builtin" && first.turn.index == 0)
        Self.expectContiguous(first)

        client.close()
        try await suite.restartOrchestrator()  // SIGKILL between turns: the session is in the file
        client = try suite.client("orchestrator")
        defer { client.close() }

        let second = try await Self.converse(client, "make the walk sad", session: session)
        #expect(second.turn.index == 1 && second.sessionID == session)
        #expect(second.turn.plan.first?.text == "a person walks forward sadly." && second.turn.plan.first?.reused == false)
        #expect(Array(second.turn.plan.dropFirst().map(\.codes)) == Array(first.turn.plan.dropFirst().map(\.codes)),
                "unchanged steps keep their codes")
        #expect(second.turn.plan.dropFirst().allSatisfy { $0.reused })
        Self.expectContiguous(second)

        let third = try await Self.converse(client, "what is the person doing?", session: session)
        #expect(!third.turn.caption.isEmpty && third.turn.reply.contains(third.turn.caption), "\(third.turn.reply)")
        #expect(third.turn.askedMotion == second.turn.codes && third.turn.plan.isEmpty && !third.hasMotion)
        print("conversation: \(first.turn.reply)\n---\n\(second.turn.reply)\n---\n\(third.turn.reply)")

        let stored = try await client.call(Irg_V1_MotionOrchestrator.getSession, .with { $0.sessionID = session })
        #expect(stored.turns.map(\.state) == ["done", "done", "done"])
        #expect(stored.turns.map(\.plan) == [first.turn.plan, second.turn.plan, third.turn.plan])
        #expect(stored.turns[1].plannerMessages.map(\.role) == ["user", "assistant"])
        let listed = try await client.call(Irg_V1_MotionOrchestrator.listSessions, .init())
        #expect(listed.sessions.first?.sessionID == session && listed.sessions.first?.turns == 3)
    }

    @Test(.enabled(if: bundled, "Models/demo is not in this checkout"))
    func badInputGetsAClearErrorAndAMotionCanBeAskedAbout() async throws {
        let suite = try DemoModelTests.DemoSuite()
        defer { suite.close() }
        try await suite.waitUntilServing()
        let client = try suite.client("orchestrator")
        defer { client.close() }
        func code(_ message: String, session: String = "", _ populate: @escaping (inout Irg_V1_ConverseRequest) -> Void = { _ in })
            async -> (StatusCode?, String) {
            do {
                _ = try await Self.converse(client, message, session: session, populate)
                return (nil, "")
            } catch let error as RPCError {
                return (error.code, error.message)
            } catch {
                return (.unknown, "\(error)")
            }
        }
        #expect(await code("walk", session: "no-such-session").0 == .notFound)
        #expect(await code("  ").0 == .invalidArgument)
        let undecodable = await code("what is this?") { $0.motionCodes.codes = [3, 100_000] }
        #expect(undecodable.0 == .invalidArgument && undecodable.1.contains("does not decode"), "\(undecodable.1)")
        #expect(await code("what is this?") { $0.motionCodes.codes = [1]; $0.motion.fps = 20 }.0 == .invalidArgument)
        let badShape = await code("what is this?") { $0.motion.features = TensorMessages.tensor(shape: [8, 5], values: .init(repeating: 0, count: 40)) }
        #expect(badShape.0 == .invalidArgument, "\(badShape.1)")

        // A question with no motion anywhere: a reply, nothing generated.
        let nothing = try await Self.converse(client, "what is the person doing?")
        #expect(nothing.turn.reply.contains("no motion") && nothing.turn.plan.isEmpty)

        // A real clip (HumanML3D 012314) sent as features: encoded, captioned, answered.
        let clip = try NPYArray.read(OrchestratorTests.fixtures.appendingPathComponent("MotionTests/Fixtures/reference/012314_features.npy"))
        let asked = try await Self.converse(client, "describe this motion", session: nothing.sessionID) {
            $0.motion.features = TensorMessages.tensor(shape: clip.shape, values: clip.floats())
        }
        #expect(asked.turn.askedMotion.codes.count == clip.shape[0] / 4 && !asked.turn.caption.isEmpty)
        #expect(asked.turn.plannerMessages.map(\.content).first?.hasSuffix("<motion_file>") == true)
    }

    @Test(.enabled(if: bundled, "Models/demo is not in this checkout"))
    func aChatEndpointPlansTheTurns() async throws {
        let stub = try PlannerEndpointStub([
            .answer(#"{"plan": "1. MotionLLM.generate(\"a person jumps.\"); 2. MotionLLM.generate(\"a person bows.\")", "reasoning": "Jump, then bow."}"#),
            .answer("{\"plan\": "),  // malformed: the planner retries once with the error
            .answer(#"{"reasoning": "Nothing to do."}"#),
            .silence(seconds: 4),
        ])
        defer { stub.close() }
        let suite = try DemoModelTests.DemoSuite(orchestratorArguments: ["--planner-url", stub.url, "--planner-model", "stub-model",
                                                                         "--planner-timeout", "1"])
        defer { suite.close() }
        try await suite.waitUntilServing()
        let client = try suite.client("orchestrator")
        defer { client.close() }

        let planned = try await Self.converse(client, "jump and then bow")
        #expect(planned.turn.plan.map(\.text) == ["a person jumps.", "a person bows."] && planned.turn.planner == "stub-model")
        #expect(planned.turn.reply.hasPrefix("Jump, then bow.") && planned.hasMotion)
        #expect(stub.messages(ofRequest: 0).first?.role == "system" && stub.messages(ofRequest: 0).last?.content == "jump and then bow")

        let key = UUID().uuidString
        let answered = try await Self.converse(client, "anything else?", session: planned.sessionID, key: key)
        #expect(answered.turn.reply == "Nothing to do." && answered.turn.plannerMessages.count == 4)
        let again = try await Self.converse(client, "anything else?", session: planned.sessionID, key: key)
        #expect(again.turn.index == answered.turn.index && stub.requests.count == 3, "the key answers from the store")
        #expect(stub.messages(ofRequest: 1).count == 4, "the second turn sends the first turn's exchange")

        do {
            _ = try await Self.converse(client, "walk", session: planned.sessionID)
            Issue.record("a silent planner answered")
        } catch let error as RPCError {
            #expect(error.code == .deadlineExceeded, "\(error)")
        }
        let stored = try await client.call(Irg_V1_MotionOrchestrator.getSession, .with { $0.sessionID = planned.sessionID })
        #expect(stored.turns.map(\.state) == ["done", "done", "failed"])
    }

    @Test(.enabled(if: bundled, "Models/demo is not in this checkout"))
    func irgConverseAndIrgChatWriteEachTurnsMotion() async throws {
        let suite = try DemoModelTests.DemoSuite()
        defer { suite.close() }
        try await suite.waitUntilServing()
        let out = suite.folder.appendingPathComponent("chat")
        let address = suite.addresses["orchestrator"]!
        let (status, printed) = try await ProcessTests.irg(["converse", "--orchestrator", address, "--rounds", "1", "--seed", "2",
                                                            "--out", out.path, "jump twice"])
        #expect(status == 0, "\(printed)")
        let session = try #require(printed.split(separator: "\n").first?.split(separator: " ").dropFirst().first?.trimmingCharacters(in: .punctuationCharacters))
        #expect(printed.contains("1. a person jumps.") && printed.contains("(reused)"), "\(printed)")

        let (chatStatus, chatted, chatErrors) = try await ComputeQueue.run {
            try Self.chat(["chat", "--session", session, "--orchestrator", address, "--rounds", "1", "--out", out.path],
                          input: "make the jump happy\nexit\n")
        }
        #expect(chatStatus == 0 && chatted.contains("a person jumps happily."), "\(chatted)\nstderr: \(chatErrors)")
        for file in ["turn-0/motion.gif", "turn-0/motion.bvh", "turn-1/motion.html", "turn-1/motion.npy", "turn-1/turn.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
    }

    /// `irg ARGS` with `input` on its stdin.
    /// Its exit status, stdout and stderr (where `irg chat` writes a turn's error).
    static func chat(_ arguments: [String], input: String) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = ProcessTests.binDir.appendingPathComponent("irg")
        process.arguments = arguments
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }
}
