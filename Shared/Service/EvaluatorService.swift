import Foundation
import IRGMetrics
import IRGModels
import IRGMotion
import IRGProto
import IRGRPC

/// irg.v1.MotionEvaluator: embeddings from the text-motion matching evaluator
/// and every benchmark metric. Metrics, Quality and CaptionMetrics need no
/// model; Embed needs the evaluator folder.
public struct EvaluatorService: Sendable {
    let checkpoint: EvaluatorCheckpoint?

    public init(checkpoint folder: URL?) throws {
        checkpoint = try folder.map(EvaluatorCheckpoint.init)
    }

    public func install(on router: Router) {
        router.implement("irg.v1.MotionEvaluator/Embed") { request, _ in try await embed(request) }
        router.implement("irg.v1.MotionEvaluator/Metrics") { request, _ in try await metrics(request) }
        router.implement("irg.v1.MotionEvaluator/Quality") { request, _ in try await quality(request) }
        router.implement("irg.v1.MotionEvaluator/CaptionMetrics") { request, _ in try await captionMetrics(request) }
    }

    private func model() throws -> EvaluatorCheckpoint {
        guard let checkpoint else {
            throw RPCError(.failedPrecondition, "irg-evaluator was started without --checkpoint DIR; no evaluator model is loaded")
        }
        return checkpoint
    }

    func embed(_ request: ProtoMessage) async throws -> ProtoMessage {
        let model = try model()
        let texts = request.list("texts").compactMap { value -> String? in
            if case .string(let s) = value { return s }
            return nil
        }
        let motions = try request.messages("motions").enumerated().map { i, m in
            try TensorMessages.features(of: m, index: i, dim: model.evaluator.config.dimPose)
        }
        guard !texts.isEmpty || !motions.isEmpty else { throw RPCError(.invalidArgument, "neither texts nor motions were given") }
        let dim = model.evaluator.embeddingDim
        let (textRows, motionRows) = try await ComputeQueue.run {
            try Self.invalidArgument { (try model.embed(texts: texts), try model.evaluator.embed(motions: motions)) }
        }
        var reply = ProtoMessage(type: "irg.v1.EmbedResponse")
        reply["text_embeddings"] = .message(TensorMessages.tensor(shape: [texts.count, dim], values: textRows))
        reply["motion_embeddings"] = .message(TensorMessages.tensor(shape: [motions.count, dim], values: motionRows))
        return reply
    }

    func metrics(_ request: ProtoMessage) async throws -> ProtoMessage {
        let texts = try Self.embeddings(request.message("text_embeddings"), field: "text_embeddings")
        let motions = try Self.embeddings(request.message("motion_embeddings"), field: "motion_embeddings")
        let groundTruth = try request.message("gt_motion_embeddings").map { try Self.embeddings($0, field: "gt_motion_embeddings") }
        guard let seed = UInt32(exactly: request.uint("seed")) else {
            throw RPCError(.invalidArgument, "seed must be below 2^32 (NumPy's legacy seeding), got \(request.uint("seed"))")
        }
        let pairs = Int(request.uint("diversity_pairs")), batch = Int(request.uint("batch_size"))
        let result = try await ComputeQueue.run {
            try Self.invalidArgument {
                try EmbeddingMetrics(texts: texts, motions: motions, groundTruth: groundTruth, seed: seed,
                                     batchSize: batch == 0 ? 32 : batch, diversityPairs: pairs == 0 ? 300 : pairs)
            }
        }
        var reply = ProtoMessage(type: "irg.v1.MetricsResponse")
        reply["r_precision"] = .list(result.rPrecision.map { .double($0) })
        reply["mm_dist"] = .double(result.mmDist)
        reply["fid"] = .double(result.fid ?? 0)
        reply["has_fid"] = .bool(result.fid != nil)
        reply["diversity"] = .double(result.diversity ?? 0)
        reply["has_diversity"] = .bool(result.diversity != nil)
        return reply
    }

    func quality(_ request: ProtoMessage) async throws -> ProtoMessage {
        let motions = request.messages("motions")
        guard !motions.isEmpty else { throw RPCError(.invalidArgument, "motions is empty") }
        let joints = try motions.enumerated().map { i, m in
            m.message("joints") != nil
                ? try TensorMessages.joints(of: m, index: i)
                : try TensorMessages.invalidArgument { try FeatureRecovery.joints(TensorMessages.features(of: m, index: i, dim: 263), jointCount: 22) }
        }
        let results = try await ComputeQueue.run {
            try Self.invalidArgument {
                try joints.map { j in try MotionQuality(ZUpJoints(yUp: j.values, frames: j.frames, joints: j.joints)) }
            }
        }
        var reply = ProtoMessage(type: "irg.v1.QualityResponse")
        reply["metrics"] = .list(results.map { q in
            var m = ProtoMessage(type: "irg.v1.QualityMetrics")
            m["jitter"] = .double(q.jitter)
            m["dynamic"] = .double(q.dynamic)
            m["foot_sliding"] = .double(q.footSliding)
            m["ground_penetration"] = .double(q.groundPenetration)
            m["foot_floating"] = .double(q.footFloating)
            return .message(m)
        })
        return reply
    }

    func captionMetrics(_ request: ProtoMessage) async throws -> ProtoMessage {
        let strings = { (m: ProtoMessage, field: String) in
            m.list(field).compactMap { value -> String? in
                if case .string(let s) = value { return s }
                return nil
            }
        }
        guard request.string("bertscore_model").isEmpty else {
            throw RPCError(.unimplemented, "BERTScore is not available in this build; leave bertscore_model empty for BLEU, ROUGE-L and CIDEr-D")
        }
        let predictions = strings(request, "predictions")
        let references = request.messages("references").map { strings($0, "texts") }
        let result = try await ComputeQueue.run {
            try Self.invalidArgument { try CaptionMetrics(predictions: predictions, references: references) }
        }
        var reply = ProtoMessage(type: "irg.v1.CaptionMetricsResponse")
        reply["bleu1"] = .double(result.bleu1)
        reply["bleu4"] = .double(result.bleu4)
        reply["rouge_l"] = .double(result.rougeL)
        reply["cider"] = .double(result.cider)
        return reply
    }

    static func embeddings(_ tensor: ProtoMessage?, field: String) throws -> EmbeddingMatrix {
        let (shape, values) = try TensorMessages.floats(tensor, field: field)
        guard shape.count == 2 else { throw RPCError(.invalidArgument, "\(field) must be (N, D), got \(shape)") }
        return EmbeddingMatrix(rows: shape[0], dim: shape[1], floats: values)
    }

    /// Library errors about bad input (motion or metric) become INVALID_ARGUMENT.
    static func invalidArgument<T>(_ body: () throws -> T) throws -> T {
        do {
            return try TensorMessages.invalidArgument(body)
        } catch let error as MetricError {
            throw RPCError(.invalidArgument, error.description)
        }
    }
}
