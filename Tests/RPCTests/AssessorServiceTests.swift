import Foundation
import IRGModels
import IRGMotion
import IRGProto
@testable import IRGRPC
import IRGService
import Testing

/// irg.v1.MotionAssessor over real sockets: the small evaluator, and a real
/// irg.v1.MotionTokenizer (the small VQ-VAE) for codes and transcripts.
@Suite struct AssessorServiceTests {
    static let evaluator = TokenizerServiceTests.fixtures.appendingPathComponent("ModelTests/Fixtures/evaluator/small_f32")
    static let walkText = "a/DET person/NOUN walk/VERB forward/ADV"

    /// An assessor (and its tokenizer) on fresh addresses; the client dials the assessor.
    static func serve(evaluator: URL? = Self.evaluator, limits: AssessorService.Limits = .init())
        throws -> (client: NngClient, close: () -> Void) {
        let (tokenizerServer, tokenizerClient) = try TokenizerServiceTests.serve(checkpoint: TokenizerServiceTests.checkpoint)
        let url = freshAddress()
        let router = Router()
        router.register(service: Irg_V1_MotionAssessor.serviceName)
        try AssessorService(evaluator: evaluator, tokenizer: tokenizerClient, limits: limits).install(on: router)
        let server = try startServer([.listen(url)], router: router)
        let client = try NngClient(dialing: [url])
        return (client, { client.close(); server.close(); tokenizerClient.close(); tokenizerServer.close() })
    }

    static func features(_ file: String = "humanml3d/012314_vecs.npy", frames: Int? = nil) throws -> Irg_V1_Motion {
        let array = try NPYArray.read(TokenizerServiceTests.fixtures.appendingPathComponent("MotionTests/Fixtures/\(file)"))
        let all = array.floats(), count = frames ?? array.shape[0]
        return .with { $0.features = TensorMessages.tensor(shape: [count, 263], values: Array(all.prefix(count * 263))) }
    }

    static func item(_ populate: (inout Irg_V1_MotionAssessRequest) throws -> Void) rethrows -> Irg_V1_MotionAssessRequest {
        var item = Irg_V1_MotionAssessRequest()
        item.text = walkText
        try populate(&item)
        return item
    }

    @Test func batchTermsDefaultWeightsAndOrder() async throws {
        let (client, close) = try Self.serve()
        defer { close() }
        let items = try [
            Self.item { $0.motion = try Self.features(); $0.reference = try Self.features(frames: 100) },
            Self.item { $0.motion = try Self.features("reference/dataset-1_run_normal_001_features.npy") },
            Self.item { $0.transcript = "no motion here" },
        ]
        let reply = try await client.call(Irg_V1_MotionAssessor.assessBatch, .with { $0.items = items })
        #expect(reply.results.map(\.status.code) == [.ok, .ok, .ok])
        let (a, b, c) = (reply.results[0].result, reply.results[1].result, reply.results[2].result)
        #expect(a.hasMmDistance && !b.hasMmDistance && a.tmDistance == -a.matchingDistance && abs(a.similarity - (1 + a.alignment) / 2) < 1e-12)
        #expect(a.terms == ["tm_distance": a.tmDistance, "mm_distance": a.mmDistance] && abs(a.reward - a.tmDistance - a.mmDistance) < 1e-12)
        #expect(b.terms == ["tm_distance": b.tmDistance] && a.hasQuality)
        #expect(c.motionMissing && c.hasFormat && c.format == 0 && c.terms.keys.sorted() == ["format", "tm_distance"])
    }

    @Test func codesAndTranscriptsAreDecodedByTheTokenizer() async throws {
        let (client, close) = try Self.serve()
        defer { close() }
        let codes: [Int32] = [3, 17, 42, 5, 63, 0, 8, 9, 11, 12]
        let decoded = try await { () async throws -> Irg_V1_Motion in
            let (server, tokenizer) = try TokenizerServiceTests.serve(checkpoint: TokenizerServiceTests.checkpoint)
            defer { tokenizer.close(); server.close() }
            return try await tokenizer.call(Irg_V1_MotionTokenizer.decode, .with { $0.codes = [.with { $0.codes = codes }]; $0.skipJoints = true }).motions[0]
        }()
        let spans = { (c: [Int32]) in "<Motion>" + c.map { "<Motion_\($0)>" }.joined() + "</Motion>" }
        let transcript = "<think>[plan]p[/plan][analyze]a[/analyze][plan]p[/plan][generate]\(spans([1, 2, 3, 4]))[/generate]"
            + "[plan]p[/plan][assess]x[/assess][plan]p[/plan][generate]\(spans(codes))[/generate][plan]p[/plan][assess]y[/assess]"
            + "[plan]p[/plan]</think>"
        let items = [
            Self.item { $0.codes = .with { $0.codes = codes } },
            Self.item { $0.motion = decoded },
            Self.item { $0.transcript = transcript; $0.weights = ["ranking": 1, "last_is_best": 1, "format": 1] },
        ]
        let reply = try await client.call(Irg_V1_MotionAssessor.assessBatch, .with { $0.items = items })
        let (fromCodes, fromFeatures, fromTranscript) = (reply.results[0].result, reply.results[1].result, reply.results[2].result)
        #expect(reply.results.allSatisfy { $0.status.code == .ok })
        #expect(abs(fromCodes.tmDistance - fromFeatures.tmDistance) < 1e-9, "codes are decoded as the tokenizer decodes them")
        #expect(abs(fromTranscript.tmDistance - fromFeatures.tmDistance) < 1e-9, "the transcript's last span is the candidate")
        #expect(fromTranscript.format == 1 && fromTranscript.process.roundTmDistance.count == 2)
        #expect(fromTranscript.process.last == fromTranscript.tmDistance && fromTranscript.terms.keys.sorted() == ["format", "last_is_best", "ranking"])
    }

    @Test func badItemsFailAloneNamingTheItem() async throws {
        let (client, close) = try Self.serve()
        defer { close() }
        let nan = Irg_V1_Motion.with { $0.features = TensorMessages.tensor(shape: [8, 263], values: [.nan] + .init(repeating: 0, count: 8 * 263 - 1)) }
        let cases: [(String, Irg_V1_MotionAssessRequest)] = try [
            ("empty text", Self.item { $0.text = " "; $0.motion = try Self.features() }),
            ("NaN", Self.item { $0.motion = nan }),
            ("bytes not matching the shape", Self.item { $0.motion = .with { $0.features = TensorMessages.tensor(shape: [8, 263], values: [1, 2]) } }),
            ("feature width 251", Self.item { $0.motion = .with { $0.features = TensorMessages.tensor(shape: [8, 251], values: .init(repeating: 0, count: 8 * 251)) } }),
            ("joints not (T, 22, 3)", Self.item { $0.motion = .with { $0.joints = TensorMessages.tensor(shape: [8, 21, 3], values: .init(repeating: 0, count: 8 * 63)) } }),
            ("three frames", Self.item { $0.motion = try Self.features(frames: 3) }),
            ("code outside the codebook", Self.item { $0.codes = .with { $0.codes = [1, 64] } }),
            ("unknown term", Self.item { $0.motion = try Self.features(); $0.weights = ["tm_distance": 1, "beauty": 2] }),
            ("mm_distance without a reference", Self.item { $0.motion = try Self.features(); $0.weights = ["mm_distance": 1] }),
            ("no candidate", Self.item { _ in }),
            ("no span with missing_motion ERROR", Self.item { $0.transcript = "nothing"; $0.missingMotion = .error }),
        ]
        let good = try Self.item { $0.motion = try Self.features() }
        var items = [good]
        for (_, item) in cases { items += [item, good] }
        let reply = try await client.call(Irg_V1_MotionAssessor.assessBatch, .with { $0.items = items })
        for (k, (what, _)) in cases.enumerated() {
            let status = reply.results[2 * k + 1].status
            #expect(status.code == .invalidArgument, "\(what): \(status.code) \(status.message)")
            #expect(status.message.hasPrefix("items[\(2 * k + 1)]"), "\(what): \(status.message)")
        }
        let goods = stride(from: 0, to: items.count, by: 2).map { reply.results[$0] }
        #expect(goods.allSatisfy { $0.status.code == .ok && $0.result.reward == goods[0].result.reward })
        await #expect(throws: RPCError.self) { try await client.call(Irg_V1_MotionAssessor.assess, cases[0].1) }
    }

    @Test func selfAssessmentIsTheGeneratorsScoreOfNoRefinementsNeeded() async throws {
        let llm = try GeneratorServiceTests.llm()
        let (generatorServer, generator) = try GeneratorServiceTests.serve(llm)
        let (tokenizerServer, tokenizer) = try TokenizerServiceTests.serve(checkpoint: TokenizerServiceTests.checkpoint)
        let url = freshAddress()
        let router = Router()
        try AssessorService(evaluator: Self.evaluator, tokenizer: tokenizer, generator: generator).install(on: router)
        let server = try startServer([.listen(url)], router: router)
        let client = try NngClient(dialing: [url])
        defer { client.close(); server.close(); tokenizer.close(); tokenizerServer.close(); generator.close(); generatorServer.close() }

        let codes: [Int32] = [5, 9, 33, 2]
        let items = try [
            Self.item { $0.codes = .with { $0.codes = codes }; $0.weights = ["self_assessment": 1, "tm_distance": 1] },
            Self.item { $0.motion = try Self.features(); $0.weights = ["self_assessment": 1] },  // encoded by the tokenizer
            Self.item { $0.codes = .with { $0.codes = codes } },  // not asked for: not computed
        ]
        let reply = try await client.call(Irg_V1_MotionAssessor.assessBatch, .with { $0.items = items })
        #expect(reply.results.allSatisfy { $0.status.code == .ok }, "\(reply.results.map(\.status.message))")
        let (scored, encoded, plain) = (reply.results[0].result, reply.results[1].result, reply.results[2].result)
        let prompt = try llm.tokenizer.encode(MotionLLMTask.refineInstruction(caption: Self.walkText, motion: codes.map { Int($0) }).prompt())
        let continuation = try llm.tokenizer.encode(" No refinements needed.<eos>", addSpecialTokens: false)
        #expect(continuation.last == 1, "the answer ends the response")
        let expected = try llm.score(prompt: prompt, continuation: continuation, adapter: nil).total
        #expect(scored.hasSelfAssessment && abs(scored.selfAssessment - expected) < 1e-9)
        #expect(abs(scored.reward - scored.selfAssessment - scored.tmDistance) < 1e-9)
        #expect(encoded.hasSelfAssessment && encoded.selfAssessment < 0 && !plain.hasSelfAssessment)

        let (bare, close) = try Self.serve()  // no generator: the term says which option is missing
        defer { close() }
        let refused = try await bare.call(Irg_V1_MotionAssessor.assessBatch, .with { $0.items = [items[0]] }).results[0].status
        #expect(refused.code == .failedPrecondition && refused.message.contains("--generator"))
    }

    @Test func limitsAreResourceExhausted() async throws {
        var limits = AssessorService.Limits()
        (limits.maxItems, limits.maxFrames) = (2, 100)
        let (client, close) = try Self.serve(limits: limits)
        defer { close() }
        let item = try Self.item { $0.motion = try Self.features(frames: 40) }
        let code = await failureCode { _ = try await client.call(Irg_V1_MotionAssessor.assessBatch, .with { $0.items = [item, item, item] }) }
        #expect(code == .resourceExhausted)
        let long = try Self.item { $0.motion = try Self.features() }  // 170 frames
        let reply = try await client.call(Irg_V1_MotionAssessor.assessBatch, .with { $0.items = [long, item] })
        #expect(reply.results.map(\.status.code) == [.resourceExhausted, .ok])
    }

    @Test func withoutAnEvaluatorQualityWorksAndAlignmentSaysWhy() async throws {
        let (client, close) = try Self.serve(evaluator: nil)
        defer { close() }
        let quality = try Self.item { $0.motion = try Self.features(); $0.weights = ["jitter": -1] }
        let reply = try await client.call(Irg_V1_MotionAssessor.assess, quality)
        #expect(reply.hasQuality && abs(reply.reward + reply.quality.jitter) < 1e-12)
        await #expect(throws: RPCError(.failedPrecondition, "items[0]: 'tm_distance' needs the evaluator: start irg-assessor with --evaluator DIR",
                                       details: ["item": "0"])) {
            try await client.call(Irg_V1_MotionAssessor.assess, try Self.item { $0.motion = try Self.features() })
        }
    }
}
