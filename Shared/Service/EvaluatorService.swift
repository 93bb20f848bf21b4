import Foundation
import IRGEvaluation
import IRGMetrics
import IRGModels
import IRGMotion
import IRGProto
import IRGRPC

/// irg.v1.MotionEvaluator: embeddings from the text-motion matching evaluator
/// and every benchmark metric. Metrics, Quality and CaptionMetrics need no
/// model; Embed and evaluation jobs need the evaluator folder.
public struct EvaluatorService: Sendable {
    let checkpoint: EvaluatorCheckpoint?
    let jobs: EvaluationJobs
    let bertScorers = BERTScorers()

    /// Reports of jobs started without an output_dir go to `<jobs folder>/<job id>/`.
    public static let defaultJobsFolder = FileManager.default.homeDirectoryForCurrentUser
        .appendingPathComponent(".local/state/irg/evaluator-jobs")

    public init(checkpoint folder: URL?, jobsFolder: URL = defaultJobsFolder) throws {
        checkpoint = try folder.map(EvaluatorCheckpoint.init)
        jobs = EvaluationJobs(folder: jobsFolder)
    }

    public func install(on router: Router) {
        router.implement("irg.v1.MotionEvaluator/Embed") { request, _ in try await embed(request) }
        router.implement("irg.v1.MotionEvaluator/Metrics") { request, _ in try await metrics(request) }
        router.implement("irg.v1.MotionEvaluator/Quality") { request, _ in try await quality(request) }
        router.implement("irg.v1.MotionEvaluator/CaptionMetrics") { request, _ in try await captionMetrics(request) }
        router.implement("irg.v1.MotionEvaluator/StartJob") { request, _ in try await startJob(request) }
        router.implement("irg.v1.MotionEvaluator/JobStatus") { request, _ in try await jobStatus(request) }
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
            try TensorMessages.invalidArgument { (try model.embed(texts: texts), try model.evaluator.embed(motions: motions)) }
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
            try TensorMessages.invalidArgument {
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
            try TensorMessages.invalidArgument {
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
        let predictions = strings(request, "predictions")
        let references = request.messages("references").map { strings($0, "texts") }
        let result = try await ComputeQueue.run {
            try TensorMessages.invalidArgument { try CaptionMetrics(predictions: predictions, references: references) }
        }
        var reply = ProtoMessage(type: "irg.v1.CaptionMetricsResponse")
        reply["bleu1"] = .double(result.bleu1)
        reply["bleu4"] = .double(result.bleu4)
        reply["rouge_l"] = .double(result.rougeL)
        reply["cider"] = .double(result.cider)
        let model = request.string("bertscore_model")
        guard !model.isEmpty else { return reply }
        let (layers, idf) = (request.uint("bertscore_layers"), !request.bool("bertscore_without_idf"))
        let baseline = request.string("bertscore_baseline")
        let bert = try await ComputeQueue.run { [bertScorers] in
            try TensorMessages.invalidArgument {
                try bertScorers.scorer(folder: model, layers: layers == 0 ? nil : Int(layers))
                    .score(predictions: predictions, references: references, idf: idf,
                           baselineFile: baseline.isEmpty ? nil : URL(fileURLWithPath: baseline))
            }
        }
        reply["has_bertscore"] = .bool(true)
        reply["bertscore_f1"] = .double(bert.meanF1)
        reply["bertscore_precision"] = .double(bert.meanPrecision)
        reply["bertscore_recall"] = .double(bert.meanRecall)
        return reply
    }

    func startJob(_ request: ProtoMessage) async throws -> ProtoMessage {
        let model = try model()
        guard let seed = UInt32(exactly: request.uint("seed")) else { throw RPCError(.invalidArgument, "seed must be below 2^32") }
        let (dataset, split) = (request.string("dataset_dir"), request.string("split").isEmpty ? "test" : request.string("split"))
        let repeats = request.uint("repeats") == 0 ? 20 : Int(request.uint("repeats"))
        let source = try await motionSource(request), multimodality = request.bool("multimodality")
        guard !multimodality || source.samples else {
            throw RPCError(.invalidArgument, "MultiModality needs several motions per text: a generator that samples (not greedy), not a motions folder")
        }
        let items = try await ComputeQueue.run {
            try TensorMessages.invalidArgument { try TestSplit.load(URL(fileURLWithPath: dataset), split: split) }
        }
        var evaluation = EvaluationProtocol(checkpoint: model, items: items)
        (evaluation.repeats, evaluation.seed) = (repeats, seed)
        guard evaluation.samplesPerRepeat > 0 else {
            throw RPCError(.invalidArgument, "the \(split) split of \(dataset) has \(items.count) usable motions; the protocol needs at least 32")
        }
        if multimodality {
            let (texts, samples) = (Int(request.uint("multimodality_texts")), Int(request.uint("multimodality_samples")))
            let settings = MultiModalitySettings(texts: texts == 0 ? 100 : texts, samples: samples == 0 ? 30 : samples)
            try TensorMessages.invalidArgument { try settings.validate() }
            evaluation.multimodality = settings
        }
        let output = request.string("output_dir")
        let id = await jobs.start(evaluation, source: source, output: output.isEmpty ? nil : URL(fileURLWithPath: output))
        var reply = ProtoMessage(type: "irg.v1.StartJobResponse")
        reply["job_id"] = .string(id)
        return reply
    }

    /// A folder of pre-generated motions, or a generator and tokenizer that
    /// answer now (a job that could only fail later is refused at once).
    private func motionSource(_ request: ProtoMessage) async throws -> MotionSource {
        let (generator, motions) = (request.string("generator_address"), request.string("motions_dir"))
        guard generator.isEmpty != motions.isEmpty else {
            throw RPCError(.invalidArgument, "give exactly one of generator_address and motions_dir")
        }
        guard generator.isEmpty else {
            let tokenizer = request.string("tokenizer_address").isEmpty ? ServiceSpec.tokenizer.defaultAddress : request.string("tokenizer_address")
            let source: GeneratorMotionSource
            do {
                source = try GeneratorMotionSource(generator: generator, tokenizer: tokenizer, options: request.message("generation"))
            } catch {
                throw RPCError(.invalidArgument, "cannot dial the generator '\(generator)' or tokenizer '\(tokenizer)': \(error)")
            }
            do {
                try await source.checkServing()
            } catch {
                // Closing a socket still dialing can take seconds (nng_close waits for the
                // dialer); that wait must not hold a cooperative thread.
                try? await ComputeQueue.run { source.close() }
                throw error
            }
            return source
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: motions, isDirectory: &isFolder), isFolder.boolValue else {
            throw RPCError(.invalidArgument, "motions_dir '\(motions)' is not a folder")
        }
        return MotionFolder(URL(fileURLWithPath: motions))
    }

    func jobStatus(_ request: ProtoMessage) async throws -> ProtoMessage {
        let id = request.string("job_id")
        let status = try await jobs.status(id)
        var reply = ProtoMessage(type: "irg.v1.JobStatusResponse")
        reply["job_id"] = .string(id)
        reply["state"] = .enumValue(status.state.rawValue)
        reply["done"] = .uint(UInt64(status.done))
        reply["total"] = .uint(UInt64(status.total))
        reply["samples_per_second"] = .double(status.state == .running ? status.samplesPerSecond : 0)
        reply["eta_seconds"] = .double(status.state == .running ? status.etaSeconds : 0)
        if let report = status.report {
            reply["report_path"] = .string(status.folder.appendingPathComponent("report.json").path)
            reply["report"] = .message(Self.message(report))
        }
        if let error = status.error {
            var s = ProtoMessage(type: "irg.v1.Status")
            s["code"] = .enumValue(StatusCode.internal.rawValue)
            s["message"] = .string(error)
            reply["error"] = .message(s)
        }
        return reply
    }

    /// The model's row as the API's EvaluationReport.
    static func message(_ report: EvaluationReport) -> ProtoMessage {
        let summary = { (metric: RepeatedMetric) -> ProtoValue in
            var m = ProtoMessage(type: "irg.v1.MetricSummary")
            m["mean"] = .double(metric.mean)
            m["ci95"] = .double(metric.ci95)
            return .message(m)
        }
        var m = ProtoMessage(type: "irg.v1.EvaluationReport")
        let row = report.model
        m["r_precision_top1"] = summary(row.rPrecisionTop1)
        m["r_precision_top2"] = summary(row.rPrecisionTop2)
        m["r_precision_top3"] = summary(row.rPrecisionTop3)
        m["mm_dist"] = summary(row.mmDist)
        if let fid = row.fid { m["fid"] = summary(fid) }
        if let diversity = row.diversity { m["diversity"] = summary(diversity) }
        if let multimodality = row.multimodality { m["multimodality"] = summary(multimodality) }
        m["num_samples"] = .uint(UInt64(report.samples))
        m["repeats"] = .uint(UInt64(report.repeats))
        return m
    }

    static func embeddings(_ tensor: ProtoMessage?, field: String) throws -> EmbeddingMatrix {
        let (shape, values) = try TensorMessages.floats(tensor, field: field)
        guard shape.count == 2 else { throw RPCError(.invalidArgument, "\(field) must be (N, D), got \(shape)") }
        return EmbeddingMatrix(rows: shape[0], dim: shape[1], floats: values)
    }
}
