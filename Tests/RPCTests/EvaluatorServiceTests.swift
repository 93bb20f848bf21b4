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
        router.register(service: "irg.v1.MotionEvaluator")
        try EvaluatorService(checkpoint: checkpoint).install(on: router)
        return (try startServer([.listen(url)], router: router), try NngClient(dialing: [url]))
    }

    static func tensor(_ file: String) throws -> ProtoValue {
        let array = try NPYArray.read(metricFixtures.appendingPathComponent(file))
        return .message(TensorMessages.tensor(shape: array.shape, values: array.floats()))
    }

    @Test func embedMatchesTheLibraryForTaggedAndFreeText() async throws {
        let (server, client) = try Self.serve()
        defer { client.close(); server.close() }
        let features = try NPYArray.read(Self.tests.appendingPathComponent("MotionTests/Fixtures/humanml3d/012314_vecs.npy"))
        var request = ProtoMessage(type: "irg.v1.EmbedRequest")
        request["texts"] = .list([.string("a/DET person/NOUN walk/VERB forward/ADV"), .string("A person walks forward.")])
        request["motions"] = .list([TokenizerServiceTests.motion(features: features)])
        let reply = try await client.call("irg.v1.MotionEvaluator/Embed", request)
        let (textShape, texts) = try TensorMessages.floats(reply.message("text_embeddings"), field: "text")
        let (motionShape, motion) = try TensorMessages.floats(reply.message("motion_embeddings"), field: "motion")
        #expect(textShape == [2, 8] && motionShape == [1, 8])
        #expect(zip(texts[0..<8], texts[8..<16]).allSatisfy { abs($0 - $1) < 1e-5 }, "free text is tagged as the dataset tags it")
        let expected = try NPYArray.read(Self.checkpoint.appendingPathComponent("motion_embeddings.npy")).floats()
        #expect(zip(motion, expected.prefix(8)).map { abs($0 - $1) }.max()! < 1e-5)
    }

    @Test func metricsQualityAndCaptionsMatchTheReference() async throws {
        let (server, client) = try Self.serve(checkpoint: nil)
        defer { client.close(); server.close() }
        var request = ProtoMessage(type: "irg.v1.MetricsRequest")
        request["text_embeddings"] = try Self.tensor("embedding/full/texts.npy")
        request["motion_embeddings"] = try Self.tensor("embedding/full/motions.npy")
        request["gt_motion_embeddings"] = try Self.tensor("embedding/full/gt.npy")
        request["seed"] = .uint(7)
        let metrics = try await client.call("irg.v1.MotionEvaluator/Metrics", request)
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.metricFixtures.appendingPathComponent("embedding/full/expected.json"))) as! [String: Any]
        #expect(metrics.bool("has_fid") && metrics.bool("has_diversity"))
        #expect(abs(metrics.double("fid") / (expected["fid"] as! Double) - 1) < 1e-5)
        #expect(abs(metrics.double("diversity") / (expected["diversity"] as! Double) - 1) < 1e-5)

        var quality = ProtoMessage(type: "irg.v1.QualityRequest")
        let joints = try NPYArray.read(Self.metricFixtures.appendingPathComponent("quality/jittered.npy"))
        quality["motions"] = .list([TokenizerServiceTests.motion(joints: joints)])
        let q = try await client.call("irg.v1.MotionEvaluator/Quality", quality).messages("metrics")
        let want = (try JSONSerialization.jsonObject(with: Data(contentsOf: Self.metricFixtures.appendingPathComponent("quality/expected.json"))) as! [String: Any])["jittered"] as! [String: Any]
        #expect(abs(q[0].double("foot_floating") - (want["foot_floating"] as! Double)) < 1e-9)

        var captions = ProtoMessage(type: "irg.v1.CaptionMetricsRequest")
        captions["predictions"] = .list([.string("a person walks forward")])
        var refs = ProtoMessage(type: "irg.v1.References")
        refs["texts"] = .list([.string("a person walks forward"), .string("someone walks")])
        captions["references"] = .list([.message(refs)])
        let scores = try await client.call("irg.v1.MotionEvaluator/CaptionMetrics", captions)
        #expect(abs(scores.double("bleu1") - 1) < 1e-6 && abs(scores.double("rouge_l") - 1) < 1e-6)
        #expect(!scores.bool("has_bertscore"))

        // BERTScore with the tiny BERT of the BERTScore fixtures: the library's value
        // (itself checked against the bert_score package in BERTScoreTests).
        let bert = Self.tests.appendingPathComponent("LanguageModelTests/Fixtures/bertscore")
        captions["bertscore_model"] = .string(bert.appendingPathComponent("model").path)
        captions["bertscore_layers"] = .uint(2)
        captions["bertscore_baseline"] = .string(bert.appendingPathComponent("baseline.tsv").path)
        let withBERT = try await client.call("irg.v1.MotionEvaluator/CaptionMetrics", captions)
        let library = try await ComputeQueue.run {
            try BERTScorer(folder: bert.appendingPathComponent("model"), layers: 2)
                .score(predictions: ["a person walks forward"], references: [["a person walks forward", "someone walks"]],
                       baselineFile: bert.appendingPathComponent("baseline.tsv"))
        }
        #expect(withBERT.bool("has_bertscore") && abs(withBERT.double("bertscore_f1") - library.meanF1) < 1e-12)
        #expect(abs(withBERT.double("bertscore_precision") - 1) < 1e-5, "the candidate is one of the references")
    }

    @Test func badInputIsInvalidArgumentAndTheServiceServesOn() async throws {
        let (server, client) = try Self.serve()
        defer { client.close(); server.close() }
        func code(_ method: String, _ request: ProtoMessage) async -> StatusCode? {
            await failureCode { _ = try await client.call("irg.v1.MotionEvaluator/\(method)", request) }
        }
        var shortMotion = ProtoMessage(type: "irg.v1.EmbedRequest")
        shortMotion["motions"] = .list([.message({ var m = ProtoMessage(type: "irg.v1.Motion")
            m["features"] = .message(TensorMessages.tensor(shape: [3, 263], values: .init(repeating: 0, count: 3 * 263))); return m }())])
        var emptyText = ProtoMessage(type: "irg.v1.EmbedRequest")
        emptyText["texts"] = .list([.string("...")])
        var fewRows = ProtoMessage(type: "irg.v1.MetricsRequest")
        fewRows["text_embeddings"] = .message(TensorMessages.tensor(shape: [4, 2], values: .init(repeating: 1, count: 8)))
        fewRows["motion_embeddings"] = .message(TensorMessages.tensor(shape: [4, 2], values: .init(repeating: 1, count: 8)))
        var bigSeed = fewRows
        bigSeed["seed"] = .uint(1 << 33)
        var mismatched = ProtoMessage(type: "irg.v1.CaptionMetricsRequest")
        mismatched["predictions"] = .list([.string("a"), .string("b")])
        var shortJoints = ProtoMessage(type: "irg.v1.QualityRequest")
        shortJoints["motions"] = .list([.message({ var m = ProtoMessage(type: "irg.v1.Motion")
            m["joints"] = .message(TensorMessages.tensor(shape: [2, 22, 3], values: .init(repeating: 0, count: 2 * 66))); return m }())])
        let cases: [(String, String, ProtoMessage)] = [
            ("nothing to embed", "Embed", ProtoMessage(type: "irg.v1.EmbedRequest")),
            ("motion shorter than 4 frames", "Embed", shortMotion),
            ("caption without words", "Embed", emptyText),
            ("fewer rows than a batch", "Metrics", fewRows),
            ("seed over 2^32", "Metrics", bigSeed),
            ("missing embeddings", "Metrics", ProtoMessage(type: "irg.v1.MetricsRequest")),
            ("predictions without references", "CaptionMetrics", mismatched),
            ("two-frame joints", "Quality", shortJoints),
            ("no motions", "Quality", ProtoMessage(type: "irg.v1.QualityRequest")),
        ]
        for (what, method, request) in cases { #expect(await code(method, request) == .invalidArgument, "\(what)") }
        var bert = ProtoMessage(type: "irg.v1.CaptionMetricsRequest")
        bert["predictions"] = .list([.string("a person walks")])
        var refs = ProtoMessage(type: "irg.v1.References")
        refs["texts"] = .list([.string("someone walks")])
        bert["references"] = .list([.message(refs)])
        bert["bertscore_model"] = .string("/models/bert")
        #expect(await code("CaptionMetrics", bert) == .invalidArgument, "no such model folder")
        bert["bertscore_model"] = .string(Self.tests.appendingPathComponent("LanguageModelTests/Fixtures/bertscore/model").path)
        #expect(await code("CaptionMetrics", bert) == .invalidArgument, "a 3-layer model has no default layer")
        var ok = ProtoMessage(type: "irg.v1.EmbedRequest")
        ok["texts"] = .list([.string("walk/VERB")])
        #expect(try await client.call("irg.v1.MotionEvaluator/Embed", ok).message("text_embeddings") != nil)
    }

    @Test func jobRequestsAreCheckedBeforeAnythingStarts() async throws {
        let (server, client) = try Self.serve()
        defer { client.close(); server.close() }
        func code(_ method: String, _ fields: [String: ProtoValue]) async -> StatusCode? {
            var request = ProtoMessage(type: method == "StartJob" ? "irg.v1.StartJobRequest" : "irg.v1.JobStatusRequest")
            for (k, v) in fields { request[k] = v }
            return await failureCode { _ = try await client.call("irg.v1.MotionEvaluator/\(method)", request) }
        }
        let folder = FileManager.default.temporaryDirectory.path
        #expect(await code("StartJob", ["motions_dir": .string("/no/such/folder"), "dataset_dir": .string(folder)]) == .invalidArgument)
        #expect(await code("StartJob", ["motions_dir": .string(folder), "dataset_dir": .string("/no/such/dataset")]) == .invalidArgument)
        #expect(await code("StartJob", ["generator_address": .string("ipc:///tmp/no-generator"), "motions_dir": .string(folder)]) == .invalidArgument)
        #expect(await code("StartJob", ["motions_dir": .string(folder), "multimodality": .bool(true)]) == .invalidArgument)
        #expect(await code("JobStatus", ["job_id": .string("nope")]) == .notFound)
        let (bare, bareClient) = try Self.serve(checkpoint: nil)
        defer { bareClient.close(); bare.close() }
        #expect(await failureCode { _ = try await bareClient.call("irg.v1.MotionEvaluator/StartJob", ProtoMessage(type: "irg.v1.StartJobRequest")) }
                == .failedPrecondition)
    }

    @Test func embedWithoutACheckpointSaysSo() async throws {
        let (server, client) = try Self.serve(checkpoint: nil)
        defer { client.close(); server.close() }
        var request = ProtoMessage(type: "irg.v1.EmbedRequest")
        request["texts"] = .list([.string("walk/VERB")])
        #expect(await failureCode { _ = try await client.call("irg.v1.MotionEvaluator/Embed", request) } == .failedPrecondition)
    }
}
