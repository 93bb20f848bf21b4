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
        router.implement(Irg_V1_MotionEvaluator.embed) { request, _ in try await embed(request) }
        router.implement(Irg_V1_MotionEvaluator.metrics) { request, _ in try await metrics(request) }
        router.implement(Irg_V1_MotionEvaluator.quality) { request, _ in try await quality(request) }
        router.implement(Irg_V1_MotionEvaluator.captionMetrics) { request, _ in try await captionMetrics(request) }
        router.implement(Irg_V1_MotionEvaluator.startJob) { request, _ in try await startJob(request) }
        router.implement(Irg_V1_MotionEvaluator.jobStatus) { request, _ in try await jobStatus(request) }
    }

    private func model() throws -> EvaluatorCheckpoint {
        guard let checkpoint else {
            throw RPCError(.failedPrecondition, "irg-evaluator was started without --checkpoint DIR; no evaluator model is loaded")
        }
        return checkpoint
    }

    func embed(_ request: Irg_V1_EmbedRequest) async throws -> Irg_V1_EmbedResponse {
        let model = try model()
        let texts = request.texts
        let motions = try request.motions.enumerated().map { i, m in
            try TensorMessages.features(of: m, index: i, dim: model.evaluator.config.dimPose)
        }
        guard !texts.isEmpty || !motions.isEmpty else { throw RPCError(.invalidArgument, "neither texts nor motions were given") }
        let dim = model.evaluator.embeddingDim
        let (textRows, motionRows) = try await ComputeQueue.run {
            try TensorMessages.invalidArgument { (try model.embed(texts: texts), try model.evaluator.embed(motions: motions)) }
        }
        return .with {
            $0.textEmbeddings = TensorMessages.tensor(shape: [texts.count, dim], values: textRows)
            $0.motionEmbeddings = TensorMessages.tensor(shape: [motions.count, dim], values: motionRows)
        }
    }

    func metrics(_ request: Irg_V1_MetricsRequest) async throws -> Irg_V1_MetricsResponse {
        let texts = try Self.embeddings(request.hasTextEmbeddings ? request.textEmbeddings : nil, field: "text_embeddings")
        let motions = try Self.embeddings(request.hasMotionEmbeddings ? request.motionEmbeddings : nil, field: "motion_embeddings")
        let groundTruth = request.hasGtMotionEmbeddings
            ? try Self.embeddings(request.gtMotionEmbeddings, field: "gt_motion_embeddings") : nil
        guard let seed = UInt32(exactly: request.seed) else {
            throw RPCError(.invalidArgument, "seed must be below 2^32 (NumPy's legacy seeding), got \(request.seed)")
        }
        let pairs = Int(request.diversityPairs), batch = Int(request.batchSize)
        let result = try await ComputeQueue.run {
            try TensorMessages.invalidArgument {
                try EmbeddingMetrics(texts: texts, motions: motions, groundTruth: groundTruth, seed: seed,
                                     batchSize: batch == 0 ? 32 : batch, diversityPairs: pairs == 0 ? 300 : pairs)
            }
        }
        return .with {
            $0.rPrecision = result.rPrecision
            $0.mmDist = result.mmDist
            $0.fid = result.fid ?? 0
            $0.hasFid = result.fid != nil
            $0.diversity = result.diversity ?? 0
            $0.hasDiversity = result.diversity != nil
        }
    }

    func quality(_ request: Irg_V1_QualityRequest) async throws -> Irg_V1_QualityResponse {
        let motions = request.motions
        guard !motions.isEmpty else { throw RPCError(.invalidArgument, "motions is empty") }
        let joints = try motions.enumerated().map { i, m in
            m.hasJoints
                ? try TensorMessages.joints(of: m, index: i)
                : try TensorMessages.invalidArgument { try FeatureRecovery.joints(TensorMessages.features(of: m, index: i, dim: 263), jointCount: 22) }
        }
        let results = try await ComputeQueue.run {
            try TensorMessages.invalidArgument {
                try joints.map { j in try MotionQuality(ZUpJoints(yUp: j.values, frames: j.frames, joints: j.joints)) }
            }
        }
        return .with { $0.metrics = results.map(Self.message) }
    }

    /// MBench's terms as the API's QualityMetrics.
    public static func message(_ q: MotionQuality) -> Irg_V1_QualityMetrics {
        .with {
            $0.jitter = q.jitter
            $0.dynamic = q.dynamic
            $0.footSliding = q.footSliding
            $0.groundPenetration = q.groundPenetration
            $0.footFloating = q.footFloating
        }
    }

    func captionMetrics(_ request: Irg_V1_CaptionMetricsRequest) async throws -> Irg_V1_CaptionMetricsResponse {
        let predictions = request.predictions
        let references = request.references.map(\.texts)
        let result = try await ComputeQueue.run {
            try TensorMessages.invalidArgument { try CaptionMetrics(predictions: predictions, references: references) }
        }
        var reply = Irg_V1_CaptionMetricsResponse()
        reply.bleu1 = result.bleu1
        reply.bleu4 = result.bleu4
        reply.rougeL = result.rougeL
        reply.cider = result.cider
        let model = request.bertscoreModel
        guard !model.isEmpty else { return reply }
        let (layers, idf) = (request.bertscoreLayers, !request.bertscoreWithoutIdf)
        let baseline = request.bertscoreBaseline
        let bert = try await ComputeQueue.run { [bertScorers] in
            try TensorMessages.invalidArgument {
                try bertScorers.scorer(folder: model, layers: layers == 0 ? nil : Int(layers))
                    .score(predictions: predictions, references: references, idf: idf,
                           baselineFile: baseline.isEmpty ? nil : URL(fileURLWithPath: baseline))
            }
        }
        reply.hasBertscore = true
        reply.bertscoreF1 = bert.meanF1
        reply.bertscorePrecision = bert.meanPrecision
        reply.bertscoreRecall = bert.meanRecall
        return reply
    }

    func startJob(_ request: Irg_V1_StartJobRequest) async throws -> Irg_V1_StartJobResponse {
        let model = try model()
        guard let seed = UInt32(exactly: request.seed) else { throw RPCError(.invalidArgument, "seed must be below 2^32") }
        let (dataset, split) = (request.datasetDir, request.split.isEmpty ? "test" : request.split)
        let repeats = request.repeats == 0 ? 20 : Int(request.repeats)
        let source = try await motionSource(request), multimodality = request.multimodality
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
            let (texts, samples) = (Int(request.multimodalityTexts), Int(request.multimodalitySamples))
            let settings = MultiModalitySettings(texts: texts == 0 ? 100 : texts, samples: samples == 0 ? 30 : samples)
            try TensorMessages.invalidArgument { try settings.validate() }
            evaluation.multimodality = settings
        }
        let output = request.outputDir
        let id = await jobs.start(evaluation, source: source, output: output.isEmpty ? nil : URL(fileURLWithPath: output))
        return .with { $0.jobID = id }
    }

    /// A folder of pre-generated motions, or a generator (or orchestrator) and
    /// tokenizer that answer now (a job that could only fail later is refused at once).
    private func motionSource(_ request: Irg_V1_StartJobRequest) async throws -> MotionSource {
        let (generator, orchestrator, motions) = (request.generatorAddress, request.orchestratorAddress, request.motionsDir)
        guard [generator, orchestrator, motions].filter({ !$0.isEmpty }).count == 1 else {
            throw RPCError(.invalidArgument, "give exactly one of generator_address, orchestrator_address and motions_dir")
        }
        let tokenizer = request.tokenizerAddress.isEmpty ? ServiceSpec.tokenizer.defaultAddress : request.tokenizerAddress
        if !generator.isEmpty {
            let source = try dialed("generator", generator, tokenizer) {
                try GeneratorMotionSource(generator: generator, tokenizer: tokenizer, options: request.generation)
            }
            return try await serving(source)
        }
        if !orchestrator.isEmpty {
            let source = try dialed("orchestrator", orchestrator, tokenizer) {
                try OrchestratorMotionSource(orchestrator: orchestrator, tokenizer: tokenizer, loop: request.loop, take: request.loopTake)
            }
            return try await serving(source)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: motions, isDirectory: &isFolder), isFolder.boolValue else {
            throw RPCError(.invalidArgument, "motions_dir '\(motions)' is not a folder")
        }
        return MotionFolder(URL(fileURLWithPath: motions))
    }

    private func dialed<Source>(_ role: String, _ address: String, _ tokenizer: String, _ make: () throws -> Source) throws -> Source {
        do {
            return try make()
        } catch {
            throw RPCError(.invalidArgument, "cannot dial the \(role) '\(address)' or tokenizer '\(tokenizer)': \(error)")
        }
    }

    private func serving<Source: ServiceBackedMotionSource>(_ source: Source) async throws -> Source {
        do {
            try await source.checkServing(timeoutMilliseconds: 5_000)
        } catch {
            // Closing a socket still dialing can take seconds (nng_close waits for the
            // dialer); that wait must not hold a cooperative thread.
            try? await ComputeQueue.run { source.close() }
            throw error
        }
        return source
    }

    func jobStatus(_ request: Irg_V1_JobStatusRequest) async throws -> Irg_V1_JobStatusResponse {
        let id = request.jobID
        let status = try await jobs.status(id)
        var reply = Irg_V1_JobStatusResponse()
        reply.jobID = id
        reply.state = Irg_V1_JobState(rawValue: status.state.rawValue)
        reply.done = UInt64(status.done)
        reply.total = UInt64(status.total)
        reply.samplesPerSecond = status.state == .running ? status.samplesPerSecond : 0
        reply.etaSeconds = status.state == .running ? status.etaSeconds : 0
        if let report = status.report {
            reply.reportPath = status.folder.appendingPathComponent("report.json").path
            reply.report = Self.message(report)
        }
        if let error = status.error {
            reply.error = .with {
                $0.code = .internal
                $0.message = error
            }
        }
        return reply
    }

    /// The model's row as the API's EvaluationReport.
    static func message(_ report: EvaluationReport) -> Irg_V1_EvaluationReport {
        let summary = { (metric: RepeatedMetric) in
            Irg_V1_MetricSummary.with {
                $0.mean = metric.mean
                $0.ci95 = metric.ci95
            }
        }
        var m = Irg_V1_EvaluationReport()
        let row = report.model
        m.rPrecisionTop1 = summary(row.rPrecisionTop1)
        m.rPrecisionTop2 = summary(row.rPrecisionTop2)
        m.rPrecisionTop3 = summary(row.rPrecisionTop3)
        m.mmDist = summary(row.mmDist)
        if let fid = row.fid { m.fid = summary(fid) }
        if let diversity = row.diversity { m.diversity = summary(diversity) }
        if let multimodality = row.multimodality { m.multimodality = summary(multimodality) }
        m.numSamples = UInt32(report.samples)
        m.repeats = UInt32(report.repeats)
        return m
    }

    static func embeddings(_ tensor: Irg_V1_Tensor?, field: String) throws -> EmbeddingMatrix {
        let (shape, values) = try TensorMessages.floats(tensor, field: field)
        guard shape.count == 2 else { throw RPCError(.invalidArgument, "\(field) must be (N, D), got \(shape)") }
        return EmbeddingMatrix(rows: shape[0], dim: shape[1], floats: values)
    }
}
