import IRGMetrics
import IRGModels
import IRGMotion
import IRGNumerics

/// HumanML3D's evaluation protocol (Guo et al. 2022, as T2M-GPT and its
/// successors run it): in each repeat the items are shuffled into batches of
/// 32 (the last partial batch dropped); each item gets one of its captions at
/// random and a random crop of its motion to a multiple of 4 frames (one unit
/// shorter one time in three); the model makes a motion for that caption and
/// length. Texts, ground-truth crops and generated motions are embedded, and
/// each repeat yields the model's row (R-precision, MM-Dist, FID against the
/// ground truth, Diversity, and MultiModality when asked) and the ground
/// truth's own row.
///
/// The ground-truth row's FID compares the repeat's crops with a second,
/// independent draw of crops of the same items, as the reference compares two
/// passes of its ground-truth loader (hence its FID of about 0.002, not 0).
public struct EvaluationProtocol: Sendable {
    public let checkpoint: EvaluatorCheckpoint
    public let items: [EvaluationItem]
    public var repeats = 20
    public var seed: UInt32 = 0
    public var batchSize = 32
    /// nil: no MultiModality (it costs texts x samples more motions per repeat).
    public var multimodality: MultiModalitySettings?

    public init(checkpoint: EvaluatorCheckpoint, items: [EvaluationItem]) {
        self.checkpoint = checkpoint
        self.items = items
    }

    /// Samples scored per repeat (whole batches).
    public var samplesPerRepeat: Int { items.count / batchSize * batchSize }

    /// Motions asked of the model per repeat: the scored samples and MultiModality's.
    public var motionsPerRepeat: Int { samplesPerRepeat + (multimodality?.motions(outOf: samplesPerRepeat) ?? 0) }

    /// - progress: motions made and the total over all repeats, after each batch.
    public func run(source: MotionSource, progress: (Int, Int) -> Void = { _, _ in }) throws -> EvaluationReport {
        guard samplesPerRepeat > 0 else {
            throw MetricError.invalid("the split has \(items.count) usable items; the protocol needs at least one batch of \(batchSize)")
        }
        if let multimodality {
            try multimodality.validate()
            guard source.samples else {
                throw MetricError.invalid("MultiModality needs a model that samples several motions per text; this source has one per item")
            }
        }
        var model: [EmbeddingMetrics] = [], truth: [EmbeddingMetrics] = [], multimodalities: [Double] = []
        for r in 0..<repeats {
            let rows = try runRepeat(r, source: source) { progress(r * motionsPerRepeat + $0, repeats * motionsPerRepeat) }
            model.append(rows.model)
            truth.append(rows.truth)
            if let m = rows.multimodality { multimodalities.append(m) }
        }
        return EvaluationReport(groundTruth: EvaluationRow(truth), model: EvaluationRow(model, multimodality: multimodalities),
                                samples: samplesPerRepeat, repeats: repeats, seed: seed)
    }

    private func runRepeat(_ r: Int, source: MotionSource, progress: (Int) -> Void)
        throws -> (model: EmbeddingMetrics, truth: EmbeddingMetrics, multimodality: Double?) {
        let streamSeed = UInt64(seed) << 20 | UInt64(r)
        var random = SeededRandom(seed: streamSeed)
        var secondDraw = SeededRandom(seed: splitMix64(seed: streamSeed, index: 1 << 40))
        let order = random.shuffled(Array(items.indices)).prefix(samplesPerRepeat)
        var texts: [Float] = [], truth: [Float] = [], truthAgain: [Float] = [], generated: [Float] = []
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let batch = order.dropFirst(start).prefix(batchSize).map { items[$0] }
            let captions = batch.map { random.pick($0.captions) }
            let crops = batch.map { Self.crop($0.motion, random: &random) }
            let requests = batch.indices.map { k in
                MotionRequest(item: batch[k], caption: captions[k].text, frames: crops[k].frames,
                              seed: requestSeed(repeat: r, index: start + k))
            }
            generated += try embeddedMotions(requests, from: source)
            texts += try checkpoint.embed(taggedCaptions: captions.map(\.tagged))
            truth += try checkpoint.evaluator.embed(motions: crops)
            truthAgain += try checkpoint.evaluator.embed(motions: batch.map { Self.crop($0.motion, random: &secondDraw) })
            progress(start + batch.count)
        }
        let matrix = { (values: [Float]) in EmbeddingMatrix(rows: samplesPerRepeat, dim: checkpoint.evaluator.embeddingDim, floats: values) }
        let diversitySeed = seed &+ UInt32(r)
        let modelRow = try EmbeddingMetrics(texts: matrix(texts), motions: matrix(generated), groundTruth: matrix(truth),
                                            seed: diversitySeed, batchSize: batchSize)
        let truthRow = try EmbeddingMetrics(texts: matrix(texts), motions: matrix(truth), groundTruth: matrix(truthAgain),
                                            seed: diversitySeed, batchSize: batchSize)
        let mm = try multimodality.map { settings in
            try runMultiModality(settings, repeat: r, texts: Array(order), random: &random, source: source,
                                 progress: { progress(samplesPerRepeat + $0) })
        }
        return (modelRow, truthRow, mm)
    }

    /// MultiModality (Guo et al.): for the first `texts` items of the repeat's
    /// shuffle (a random draw of texts), `samples` motions each from one
    /// caption; the mean distance between `pairs` random pairs of each text's motions.
    private func runMultiModality(_ settings: MultiModalitySettings, repeat r: Int, texts order: [Int],
                                  random: inout SeededRandom, source: MotionSource, progress: (Int) -> Void) throws -> Double {
        let chosen = order.prefix(settings.texts).map { items[$0] }
        let captions = chosen.map { random.pick($0.captions).text }
        let requests = chosen.indices.flatMap { t in
            (0..<settings.samples).map { s in
                MotionRequest(item: chosen[t], caption: captions[t], frames: chosen[t].motion.frames / 4 * 4,
                              seed: requestSeed(repeat: r, index: samplesPerRepeat + t * settings.samples + s))
            }
        }
        var embeddings: [Float] = []
        for start in stride(from: 0, to: requests.count, by: batchSize) {
            let batch = Array(requests[start ..< min(start + batchSize, requests.count)])
            embeddings += try embeddedMotions(batch, from: source)
            progress(start + batch.count)
        }
        let dim = checkpoint.evaluator.embeddingDim, perText = settings.samples * dim
        let groups = chosen.indices.map { t in
            EmbeddingMatrix(rows: settings.samples, dim: dim, floats: Array(embeddings[t * perText ..< (t + 1) * perText]))
        }
        return try IRGMetrics.multimodality(groups, pairs: settings.pairs, seed: seed &+ UInt32(r))
    }

    /// The model's motions for `requests`, embedded.
    private func embeddedMotions(_ requests: [MotionRequest], from source: MotionSource) throws -> [Float] {
        let made = try source.motions(requests)
        guard made.count == requests.count else { throw MetricError.invalid("the model gave \(made.count) motions for \(requests.count) requests") }
        return try checkpoint.evaluator.embed(motions: made)
    }

    /// A distinct non-zero seed per request of the run (zero means "fresh" to a generator).
    func requestSeed(repeat r: Int, index: Int) -> UInt64 {
        splitMix64(seed: UInt64(seed) << 32 | UInt64(r) << 24, index: UInt64(index)) | 1
    }

    /// The reference's crop: a multiple of 4 frames (one unit fewer with
    /// probability 1/3), starting anywhere it fits.
    static func crop(_ motion: MotionFeatures, random: inout SeededRandom, unit: Int = 4) -> MotionFeatures {
        let units = motion.frames / unit
        let frames = (random.next() % 3 == 2 && units > 1 ? units - 1 : units) * unit
        let start = Int(random.next() % UInt64(motion.frames - frames + 1))
        return MotionFeatures(frames: frames, dim: motion.dim, values: Array(motion.values[start * motion.dim ..< (start + frames) * motion.dim]))
    }
}

/// MultiModality's sizes: the reference draws 100 texts, makes 30 motions for
/// each and averages 10 random pairs per text.
public struct MultiModalitySettings: Sendable, Equatable {
    public var texts = 100
    public var samples = 30
    public var pairs = 10

    public init(texts: Int = 100, samples: Int = 30, pairs: Int = 10) {
        (self.texts, self.samples, self.pairs) = (texts, samples, pairs)
    }

    /// Each text needs more motions than pairs; the limits keep a request from asking for days of work.
    public func validate() throws {
        guard samples > pairs, samples <= 1_000, (1...10_000).contains(texts), pairs > 0 else {
            throw MetricError.invalid("MultiModality needs 1 to 10,000 texts and more than \(pairs) motions per text (at most 1,000); got \(texts) x \(samples)")
        }
    }

    /// Motions per repeat when a repeat scores `available` samples.
    func motions(outOf available: Int) -> Int { min(texts, available) * samples }
}
