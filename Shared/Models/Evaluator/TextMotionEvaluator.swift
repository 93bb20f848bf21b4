import IRGMotion
import IRGNumerics

/// Guo et al.'s text-motion matching evaluator (text_mot_match): captions and
/// motions to one 512-d co-embedding space, where the benchmark metrics are
/// measured. Motion path: normalise with the evaluator's own mean/std, drop the
/// 4 foot-contact dims, MovementConvEncoder, MotionEncoderBiGRUCo over T/4 steps.
/// Text path: WordVectorizer, TextEncoderBiGRUCo.
public struct TextMotionEvaluator: Sendable {
    public let config: EvaluatorConfig
    let movementEncoder: MovementConvEncoder
    let textEncoder: TextEncoderBiGRUCo
    /// MotionEncoderBiGRUCo: the shared co-embedding encoder over movement steps.
    let motionEncoder: BiGRUCoEncoder
    let normalization: Normalization

    public var embeddingDim: Int { config.dimCoembHidden }

    /// The features that normalise to zero: IRG scores a completion without a
    /// motion as 196 frames of these (zeros in the evaluator's input space).
    public var featureMean: [Float] { normalization.mean }

    public init(_ weights: WeightSource, normalization: Normalization, config: EvaluatorConfig = EvaluatorConfig()) throws {
        guard normalization.mean.count == config.dimPose else {
            throw MotionError.badShape("the evaluator's mean has \(normalization.mean.count) dims, the model takes \(config.dimPose)")
        }
        self.config = config
        self.normalization = normalization
        movementEncoder = try MovementConvEncoder(weights, prefix: "movement_encoder.", input: config.dimPose - 4,
                                                  hidden: config.dimMovementEncHidden, output: config.dimMovementLatent)
        textEncoder = try TextEncoderBiGRUCo(weights, prefix: "text_encoder.", config: config)
        motionEncoder = try BiGRUCoEncoder(weights, prefix: "motion_encoder.", input: config.dimMovementLatent,
                                           hidden: config.dimMotionHidden, output: config.dimCoembHidden,
                                           preceding: movementEncoder.outNet)
    }

    /// Un-normalised features (T, dimPose), T >= unitLength -> (count, embeddingDim) row-major.
    public func embed(motions: [MotionFeatures]) throws -> [Float] {
        guard !motions.isEmpty else { return [] }
        let unit = config.unitLength
        let contactFree = config.dimPose - 4
        var lengths: [Int] = [], steps: [Int] = []
        for (i, motion) in motions.enumerated() {
            guard motion.dim == config.dimPose else { throw MotionError.badShape("motion \(i) has \(motion.dim) dims, the evaluator takes \(config.dimPose)") }
            guard motion.frames >= unit else { throw MotionError.badShape("motion \(i) has \(motion.frames) frames; the evaluator needs at least \(unit)") }
            guard motion.values.allSatisfy(\.isFinite) else { throw MotionError.badShape("motion \(i) contains NaN or infinite values") }
            steps.append(motion.frames / unit)
            lengths.append(Self.framesSeen(frames: motion.frames, steps: motion.frames / unit, padded: max(config.paddedLength, motion.frames)))
        }
        var frames = Sequences(channels: contactFree, lengths: lengths, margin: 1)
        for (i, motion) in motions.enumerated() {
            let normalized = try normalization.normalize(motion)
            for t in 0..<motion.frames {
                let row = (frames.starts[i] + t) * contactFree
                frames.data.replaceSubrange(row ..< row + contactFree, with: normalized.row(t).prefix(contactFree))
            }
        }
        return motionEncoder(movementEncoder.convolutions(frames, steps: steps))
    }

    /// How many frames (real, then zeros) the convolutions must see so that the
    /// movement steps kept equal the reference's, where every motion is
    /// zero-padded to `padded` frames: step s reads frames up to 4s + 6 through
    /// both convolutions, and beyond `padded` the reference sees conv padding.
    static func framesSeen(frames: Int, steps: Int, padded: Int) -> Int {
        min(padded, max(frames, 4 * steps + 3))
    }

    /// Tagged captions -> (count, embeddingDim) row-major.
    public func embed(captions: [TaggedCaption], vectorizer: WordVectorizer) throws -> [Float] {
        guard vectorizer.dim == config.dimWord else {
            throw MotionError.badShape("word vectors have \(vectorizer.dim) dims, the evaluator takes \(config.dimWord)")
        }
        guard !captions.isEmpty else { return [] }
        return textEncoder(captions, vectorizer: vectorizer)
    }
}
