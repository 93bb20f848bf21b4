import Foundation
import IRGModels
import IRGProto
@testable import IRGRPC
import IRGService
import Testing

/// irg.v1.MotionGenerator over real sockets with the tiny Gemma2 fixture
/// (model_a with adapters t2m and m2t; see Scripts/reference/make_gemma2_fixtures.py).
@Suite struct GeneratorServiceTests {
    static let gemma2: URL = {
        var dir = URL(fileURLWithPath: #filePath)
        dir.deleteLastPathComponent()
        return dir.deletingLastPathComponent().appendingPathComponent("LanguageModelTests/Fixtures/gemma2")
    }()

    static func llm() throws -> MotionLLM {
        try MotionLLM(folder: gemma2.appendingPathComponent("model_a"),
                      adapters: [("t2m", gemma2.appendingPathComponent("adapter_t2m")), ("m2t", gemma2.appendingPathComponent("adapter_m2t"))])
    }

    static func serve(_ llm: MotionLLM?) throws -> (NngServer, NngClient) {
        let url = freshAddress()
        let router = Router()
        router.register(service: "irg.v1.MotionGenerator")
        GeneratorService(llm: llm).install(on: router)
        let server = try startServer([.listen(url)], router: router)
        return (server, try NngClient(dialing: [url]))
    }

    static func options(greedy: Bool = true, maxNewTokens: UInt64 = 8, temperature: Float = 0, adapter: String = "", seed: UInt64 = 0) -> ProtoValue {
        var sampling = ProtoMessage(type: "irg.v1.SamplingParams")
        sampling["greedy"] = .bool(greedy)
        sampling["max_new_tokens"] = .uint(maxNewTokens)
        sampling["temperature"] = .float(temperature)
        sampling["seed"] = .uint(seed)
        var options = ProtoMessage(type: "irg.v1.GenerationOptions")
        options["sampling"] = .message(sampling)
        options["adapter"] = .string(adapter)
        return .message(options)
    }

    static func codes(_ codes: [Int64]) -> ProtoValue {
        var m = ProtoMessage(type: "irg.v1.MotionCodes")
        m["codes"] = .list(codes.map { .int($0) })
        return .message(m)
    }

    @Test func tasksAnswerOverSockets() async throws {
        let llm = try Self.llm()
        let (server, client) = try Self.serve(llm)
        defer { client.close(); server.close() }

        var generate = ProtoMessage(type: "irg.v1.GenerateRequest")
        generate["text"] = .string("a person walks forward and waves..")
        generate["options"] = Self.options(maxNewTokens: 24)
        let generated = try await client.call("irg.v1.MotionGenerator/Generate", generate)
        let sample = try #require(generated.messages("samples").first)
        // The same constrained greedy continuation the Python reference gives (task_prompts.json).
        let fixture = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.gemma2.appendingPathComponent("task_prompts.json"))) as! [String: Any]
        let expected = (fixture["generate_t2m_greedy"] as! [Int]).map { Int64($0 - llm.motion.firstCode) }
        #expect(sample.message("codes")?.list("codes") == expected.map { .int($0) })
        #expect(sample.uint("num_tokens") == 24 && sample.string("error").isEmpty && sample.double("log_prob") < 0)

        var sampled = ProtoMessage(type: "irg.v1.GenerateRequest")
        sampled["text"] = .string("a person jumps")
        sampled["options"] = Self.options(greedy: false, maxNewTokens: 6, temperature: 1.3, seed: 11)
        sampled["num_samples"] = .uint(3)
        let first = try await client.call("irg.v1.MotionGenerator/Generate", sampled)
        let again = try await client.call("irg.v1.MotionGenerator/Generate", sampled)
        #expect(first.messages("samples").count == 3)
        #expect(first.messages("samples").map { $0.string("raw_text") } == again.messages("samples").map { $0.string("raw_text") })

        var caption = ProtoMessage(type: "irg.v1.CaptionRequest")
        caption["motion"] = Self.codes([5, 300, 17])
        caption["options"] = Self.options(maxNewTokens: 6)
        let captions = try await client.call("irg.v1.MotionGenerator/Caption", caption)
        #expect(captions.list("captions").count == 1)

        var assess = ProtoMessage(type: "irg.v1.AssessRequest")
        assess["text"] = .string("a person walks")
        assess["motion"] = Self.codes([5, 300, 17])
        assess["options"] = Self.options(maxNewTokens: 6)
        let assessed = try await client.call("irg.v1.MotionGenerator/Assess", assess)
        #expect(assessed.string("instruction") == AssessmentReply(parsing: assessed.string("raw_text")).instruction)

        var refine = ProtoMessage(type: "irg.v1.RefineRequest")
        refine["text"] = .string("a person walks")
        refine["motion"] = Self.codes([5, 300, 17])
        refine["instruction"] = .string("Walk faster.")
        refine["options"] = Self.options(maxNewTokens: 6)
        let refined = try await client.call("irg.v1.MotionGenerator/Refine", refine)
        let motion = try #require(refined.message("refined"))
        // This random model may or may not open a span; either codes or a stated error, never code 0 by default.
        #expect(motion.message("codes")?.list("codes").isEmpty == !motion.string("error").isEmpty)

        var interleave = ProtoMessage(type: "irg.v1.InterleaveRequest")
        interleave["text"] = .string("walk")
        interleave["options"] = Self.options(maxNewTokens: 2)
        let transcript = try await client.call("irg.v1.MotionGenerator/Interleave", interleave)
        #expect(!transcript.bool("finished"))
    }

    @Test func scoreEqualsTheLibrary() async throws {
        let llm = try Self.llm()
        let (server, client) = try Self.serve(llm)
        defer { client.close(); server.close() }
        var request = ProtoMessage(type: "irg.v1.ScoreRequest")
        request["prompt"] = .string("a person walks")
        request["continuation"] = .string(" <Motion><Motion_5></Motion>")
        request["adapter"] = .string("t2m")
        let reply = try await client.call("irg.v1.MotionGenerator/Score", request)
        let prompt = try llm.tokenizer.encode("a person walks")
        let continuation = try llm.tokenizer.encode(" <Motion><Motion_5></Motion>", addSpecialTokens: false)
        let expected = try llm.score(prompt: prompt, continuation: continuation, adapter: "t2m")
        #expect(reply.list("continuation_ids") == continuation.map { .uint(UInt64($0)) })
        #expect(reply.list("token_log_probs") == expected.tokenLogProbs.map { .float(Float($0)) })
        #expect(abs(reply.double("total_log_prob") - expected.total) < 1e-9)
    }

    @Test func badInputGetsItsStatusAndTheServiceServesOn() async throws {
        let (server, client) = try Self.serve(try Self.llm())
        defer { client.close(); server.close() }
        func code(_ method: String, _ request: ProtoMessage) async -> StatusCode? {
            await failureCode { _ = try await client.call("irg.v1.MotionGenerator/\(method)", request) }
        }
        func generate(_ text: String = "walk", options: ProtoValue = Self.options()) -> ProtoMessage {
            var r = ProtoMessage(type: "irg.v1.GenerateRequest")
            r["text"] = .string(text)
            r["options"] = options
            return r
        }
        func score(prompt: [UInt64], continuation: [UInt64], adapter: String = "") -> ProtoMessage {
            var r = ProtoMessage(type: "irg.v1.ScoreRequest")
            r["prompt_ids"] = .list(prompt.map { .uint($0) })
            r["continuation_ids"] = .list(continuation.map { .uint($0) })
            r["adapter"] = .string(adapter)
            return r
        }
        func caption(_ codes: [Int64]) -> ProtoMessage {
            var r = ProtoMessage(type: "irg.v1.CaptionRequest")
            r["motion"] = Self.codes(codes)
            return r
        }
        #expect(await code("Generate", generate(options: Self.options(adapter: "nope"))) == .notFound)
        #expect(await code("Score", score(prompt: [2], continuation: [5], adapter: "nope")) == .notFound)
        #expect(await code("Score", score(prompt: [2, 99_999], continuation: [5])) == .invalidArgument)        // id out of range
        #expect(await code("Score", score(prompt: [UInt64](repeating: 5, count: 300), continuation: [5])) == .invalidArgument)  // over the context
        #expect(await code("Generate", generate(String(repeating: "walk forward ", count: 200))) == .invalidArgument)       // over the context
        #expect(await code("Generate", generate(options: Self.options(greedy: false, temperature: .nan))) == .invalidArgument)
        #expect(await code("Generate", generate("   ")) == .invalidArgument)
        #expect(await code("Caption", caption([])) == .invalidArgument)        // an empty motion span
        #expect(await code("Caption", caption([512])) == .invalidArgument)     // a code past the codebook
        var agentCaption = caption([1])
        var agent = ProtoMessage(type: "irg.v1.GenerationOptions")
        agent["format"] = .enumValue(1)
        agentCaption["options"] = .message(agent)
        #expect(await code("Caption", agentCaption) == .invalidArgument)      // Motion-Agent's format has no captioning
        var many = generate()
        many["num_samples"] = .uint(100)
        #expect(await code("Generate", many) == .invalidArgument)
        // Still serving.
        let reply = try await client.call("irg.v1.MotionGenerator/Generate", generate())
        #expect(reply.messages("samples").count == 1)
    }

    @Test func withoutAModelTheMethodsSaySo() async throws {
        let (server, client) = try Self.serve(nil)
        defer { client.close(); server.close() }
        let status = await failureCode { _ = try await client.call("irg.v1.MotionGenerator/Generate", ProtoMessage(type: "irg.v1.GenerateRequest")) }
        #expect(status == .failedPrecondition)
    }
}
