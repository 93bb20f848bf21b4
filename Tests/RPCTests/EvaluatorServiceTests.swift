import Foundation
import IRGModels
import IRGMotion
import IRGProto
@testable import IRGRPC
import IRGService
import Testing

/// irg.v1.MotionEvaluator over real sockets: Embed with the small converted
/// evaluator, Metrics, Quality and CaptionMetrics against the committed
/// reference fixtures, and bad input.
@Suite struct EvaluatorServiceTests {
    static let tests = TokenizerServiceTests.fixtures
    static let checkpoint = tests.appendingPathComponent("ModelTests/Fixtures/evaluator/small_f32")
    static let metricFixtures = tests.appendingPathComponent("MetricTests/Fixtures")

    static func serve(checkpoint: URL? = checkpoint) throws -> (NngServer, NngClient) {
        let url = freshAddress()
        let router = Router()
        router.register(service: Irg_V1_MotionEvaluator.serviceName)
        try EvaluatorService(checkpoint: checkpoint).install(on: router)
        return (try startServer([.listen(url)], router: router), try NngClient(dialing: [url]))
    }

    static func tensor(_ file: String) throws -> Irg_V1_Tensor {
        let array = try NPYArray.read(metricFixtures.appendingPathComponent(file))
        return TensorMessages.tensor(shape: array.shape, values: array.floats())
    }

    @Test func embedMatchesTheLibraryForTaggedAndFreeText() async throws {
        let (server, client) = try Self.serve()
        defer { client.close(); server.close() }
        let features = try NPYArray.read(Self.tests.appendingPathComponent("MotionTests/Fixtures/humanml3d/012314_vecs.npy"))
        let request = Irg_V1_EmbedRequest.with {
            $0.texts = ["a/DET person/NOUN walk/VERB forward/ADV", "A person walks forward."]
            $0.motions = [TokenizerServiceTests.motion(features: features)]
        }
        let reply = try await client.call(Irg_V1_MotionEvaluator.embed, request)
        let (textShape, texts) = try TensorMessages.floats(reply.textEmbeddings, field: "text")
        let (motionShape, motion) = try TensorMessages.floats(reply.motionEmbeddings, field: "motion")
        #expect(textShape == [2, 8] && motionShape == [1, 8])
        #expect(zip(texts[0..<8], texts[8..<16]).allSatisfy { abs($0 - $1) < 1e-5 }, "free text is tagged as the dataset tags it")
        let expected = try NPYArray.read(Self.checkpoint.appendingPathComponent("motion_embeddings.npy")).floats()
        #expect(zip(motion, expected.prefix(8)).map { abs($0 - $1) }.max()! < 1e-5)
    }

    @Test func metricsQualityAndCaptionsMatchTheReference() async throws {
        let (server, client) = try Self.serve(checkpoint: nil)
        defer { client.close(); server.close() }
        let request = try Irg_V1_MetricsRequest.with {
            $0.textEmbeddings = try Self.tensor("embedding/full/texts.npy")
            $0.motionEmbeddings = try Self.tensor("embedding/full/motions.npy")
            $0.gtMotionEmbeddings = try Self.tensor("embedding/full/gt.npy")
            $0.seed = 7
        }
        let metrics = try await client.call(Irg_V1_MotionEvaluator.metrics, request)
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.metricFixtures.appendingPathComponent("embedding/full/expected.json"))) as! [String: Any]
        #expect(metrics.hasFid && metrics.hasDiversity)
        #expect(abs(metrics.fid / (expected["fid"] as! Double) - 1) < 1e-5)
        #expect(abs(metrics.diversity / (expected["diversity"] as! Double) - 1) < 1e-5)

        let joints = try NPYArray.read(Self.metricFixtures.appendingPathComponent("quality/jittered.npy"))
        let q = try await client.call(Irg_V1_MotionEvaluator.quality, .with { $0.motions = [TokenizerServiceTests.motion(joints: joints)] }).metrics
        let want = (try JSONSerialization.jsonObject(with: Data(contentsOf: Self.metricFixtures.appendingPathComponent("quality/expected.json"))) as! [String: Any])["jittered"] as! [String: Any]
        #expect(abs(q[0].footFloating - (want["foot_floating"] as! Double)) < 1e-9)

        var captions = Irg_V1_CaptionMetricsRequest.with {
            $0.predictions = ["a person walks forward"]
            $0.references = [.with { $0.texts = ["a person walks forward", "someone walks"] }]
        }
        let scores = try await client.call(Irg_V1_MotionEvaluator.captionMetrics, captions)
        #expect(abs(scores.bleu1 - 1) < 1e-6 && abs(scores.rougeL - 1) < 1e-6)
        #expect(!scores.hasBertscore)

        // BERTScore with the tiny BERT of the BERTScore fixtures: the library's value
        // (itself checked against the bert_score package in BERTScoreTests).
        let bert = Self.tests.appendingPathComponent("LanguageModelTests/Fixtures/bertscore")
        captions.bertscoreModel = bert.appendingPathComponent("model").path
        captions.bertscoreLayers = 2
        captions.bertscoreBaseline = bert.appendingPathComponent("baseline.tsv").path
        let withBERT = try await client.call(Irg_V1_MotionEvaluator.captionMetrics, captions)
        let library = try await ComputeQueue.run {
            try BERTScorer(folder: bert.appendingPathComponent("model"), layers: 2)
                .score(predictions: ["a person walks forward"], references: [["a person walks forward", "someone walks"]],
                       baselineFile: bert.appendingPathComponent("baseline.tsv"))
        }
        #expect(withBERT.hasBertscore && abs(withBERT.bertscoreF1 - library.meanF1) < 1e-12)
        #expect(abs(withBERT.bertscorePrecision - 1) < 1e-5, "the candidate is one of the references")
    }

    @Test func badInputIsInvalidArgumentAndTheServiceServesOn() async throws {
        let (server, client) = try Self.serve()
        defer { client.close(); server.close() }
        func code<Request, Response>(_ method: ProtoMethod<Request, Response>, _ request: Request) async -> StatusCode? {
            await failureCode { _ = try await client.call(method, request) }
        }
        let zeros = { (shape: [Int]) in TensorMessages.tensor(shape: shape, values: .init(repeating: 0, count: shape.reduce(1, *))) }
        let fewRows = Irg_V1_MetricsRequest.with {
            $0.textEmbeddings = TensorMessages.tensor(shape: [4, 2], values: .init(repeating: 1, count: 8))
            $0.motionEmbeddings = TensorMessages.tensor(shape: [4, 2], values: .init(repeating: 1, count: 8))
        }
        var bigSeed = fewRows
        bigSeed.seed = 1 << 33
        let embedCases: [(String, Irg_V1_EmbedRequest)] = [
            ("nothing to embed", .init()),
            ("motion shorter than 4 frames", .with { $0.motions = [.with { $0.features = zeros([3, 263]) }] }),
            ("caption without words", .with { $0.texts = ["..."] }),
        ]
        for (what, request) in embedCases { #expect(await code(Irg_V1_MotionEvaluator.embed, request) == .invalidArgument, "\(what)") }
        let metricCases: [(String, Irg_V1_MetricsRequest)] = [
            ("fewer rows than a batch", fewRows), ("seed over 2^32", bigSeed), ("missing embeddings", .init()),
        ]
        for (what, request) in metricCases { #expect(await code(Irg_V1_MotionEvaluator.metrics, request) == .invalidArgument, "\(what)") }
        #expect(await code(Irg_V1_MotionEvaluator.captionMetrics, .with { $0.predictions = ["a", "b"] }) == .invalidArgument,
                "predictions without references")
        #expect(await code(Irg_V1_MotionEvaluator.quality, .with { $0.motions = [.with { $0.joints = zeros([2, 22, 3]) }] }) == .invalidArgument,
                "two-frame joints")
        #expect(await code(Irg_V1_MotionEvaluator.quality, .init()) == .invalidArgument, "no motions")
        var bert = Irg_V1_CaptionMetricsRequest.with {
            $0.predictions = ["a person walks"]
            $0.references = [.with { $0.texts = ["someone walks"] }]
            $0.bertscoreModel = "/models/bert"
        }
        #expect(await code(Irg_V1_MotionEvaluator.captionMetrics, bert) == .invalidArgument, "no such model folder")
        bert.bertscoreModel = Self.tests.appendingPathComponent("LanguageModelTests/Fixtures/bertscore/model").path
        #expect(await code(Irg_V1_MotionEvaluator.captionMetrics, bert) == .invalidArgument, "a 3-layer model has no default layer")
        let ok = try await client.call(Irg_V1_MotionEvaluator.embed, .with { $0.texts = ["walk/VERB"] })
        #expect(ok.hasTextEmbeddings)
    }

    @Test func jobRequestsAreCheckedBeforeAnythingStarts() async throws {
        let (server, client) = try Self.serve()
        defer { client.close(); server.close() }
        func startJob(_ populate: (inout Irg_V1_StartJobRequest) -> Void) async -> StatusCode? {
            await failureCode { _ = try await client.call(Irg_V1_MotionEvaluator.startJob, .with(populate)) }
        }
        let folder = FileManager.default.temporaryDirectory.path
        #expect(await startJob { $0.motionsDir = "/no/such/folder"; $0.datasetDir = folder } == .invalidArgument)
        #expect(await startJob { $0.motionsDir = folder; $0.datasetDir = "/no/such/dataset" } == .invalidArgument)
        #expect(await startJob { $0.datasetDir = folder } == .invalidArgument, "neither a generator nor a motions folder")
        #expect(await startJob { $0.motionsDir = folder; $0.multimodality = true } == .invalidArgument)
        #expect(await startJob { $0.generatorAddress = "ipc:///tmp/no-generator"; $0.datasetDir = folder } == .unavailable)
        #expect(await startJob { $0.orchestratorAddress = "ipc:///tmp/no-orchestrator"; $0.datasetDir = folder } == .unavailable)
        #expect(await failureCode { _ = try await client.call(Irg_V1_MotionEvaluator.jobStatus, .with { $0.jobID = "nope" }) } == .notFound)
        let (bare, bareClient) = try Self.serve(checkpoint: nil)
        defer { bareClient.close(); bare.close() }
        #expect(await failureCode { _ = try await bareClient.call(Irg_V1_MotionEvaluator.startJob, .init()) } == .failedPrecondition)
    }

    @Test func embedWithoutACheckpointSaysSo() async throws {
        let (server, client) = try Self.serve(checkpoint: nil)
        defer { client.close(); server.close() }
        #expect(await failureCode { _ = try await client.call(Irg_V1_MotionEvaluator.embed, .with { $0.texts = ["walk/VERB"] }) }
                == .failedPrecondition)
    }
}
