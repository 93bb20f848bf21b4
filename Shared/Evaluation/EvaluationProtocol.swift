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
/// ground truth, Diversity) and the ground truth's own row.
public struct EvaluationProtocol: Sendable {
    public let checkpoint: EvaluatorCheckpoint
    public let items: [EvaluationItem]
    public var repeats = 20
    public var seed: UInt32 = 0
    public var batchSize = 32

    public init(checkpoint: EvaluatorCheckpoint, items: [EvaluationItem]) {
        self.checkpoint = checkpoint
        self.items = items
    }

    /// Samples scored per repeat (whole batches).
    public var samplesPerRepeat: Int { items.count / batchSize * batchSize }

    /// - generate: the model's motion (un-normalised features) for an item, its caption as written and a frame count.
    /// - progress: samples done and the total, after each batch.
    public func run(generate: (EvaluationItem, String, Int) throws -> MotionFeatures,
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> EvaluationReport {
        guard samplesPerRepeat > 0 else {
            throw MetricError.invalid("the split has \(items.count) usable items; the protocol needs at least one batch of \(batchSize)")
        }
        var modelRows: [EmbeddingMetrics] = [], groundTruthRows: [EmbeddingMetrics] = []
        for r in 0..<repeats {
            var random = SeededRandom(seed: UInt64(seed) << 20 | UInt64(r))
            let order = random.shuffled(Array(items.indices)).prefix(samplesPerRepeat)
            var texts: [Float] = [], truth: [Float] = [], generated: [Float] = []
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let batch = order.dropFirst(start).prefix(batchSize).map { items[$0] }
                let captions = batch.map { random.pick($0.captions) }
                let crops = batch.map { Self.crop($0.motion, random: &random) }
                let made = try zip(batch, zip(captions, crops)).map { item, pair in try generate(item, pair.0.text, pair.1.frames) }
                texts += try checkpoint.embed(taggedCaptions: captions.map(\.tagged))
                truth += try checkpoint.evaluator.embed(motions: crops)
                generated += try checkpoint.evaluator.embed(motions: made)
                progress(r * samplesPerRepeat + start + batch.count, repeats * samplesPerRepeat)
            }
            let matrix = { (values: [Float]) in EmbeddingMatrix(rows: samplesPerRepeat, dim: checkpoint.evaluator.embeddingDim, floats: values) }
            let diversitySeed = seed &+ UInt32(r)
            modelRows.append(try EmbeddingMetrics(texts: matrix(texts), motions: matrix(generated), groundTruth: matrix(truth),
                                                  seed: diversitySeed, batchSize: batchSize))
            groundTruthRows.append(try EmbeddingMetrics(texts: matrix(texts), motions: matrix(truth), groundTruth: nil,
                                                        seed: diversitySeed, batchSize: batchSize))
        }
        return EvaluationReport(groundTruth: EvaluationRow(groundTruthRows), model: EvaluationRow(modelRows),
                                samples: samplesPerRepeat, repeats: repeats, seed: seed)
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
