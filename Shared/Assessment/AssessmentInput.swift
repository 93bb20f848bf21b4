import IRGMotion

/// One item to assess, its motions already as un-normalised features.
public struct AssessmentInput: Sendable {
    public var text: String
    /// Nil: the completion had no motion span and is scored as IRG's zero motion.
    public var candidate: MotionFeatures?
    public var reference: MotionFeatures?
    /// A native response: strict_format, and the process terms over `rounds`.
    public var transcript: String?
    /// Each motion span of the transcript, in order.
    public var rounds: [MotionFeatures] = []
    public var group: String = ""
    /// Empty: IRG's stage-3 weights for what the item has.
    public var weights: [RewardTerm: Double] = [:]
    /// From the generator's Score, when the service has one.
    public var selfAssessment: Double?

    public init(text: String, candidate: MotionFeatures?) {
        self.text = text
        self.candidate = candidate
    }

    /// The weights the reward uses.
    public var effectiveWeights: [RewardTerm: Double] {
        weights.isEmpty ? RewardTerm.stageThreeWeights(hasTranscript: transcript != nil, hasReference: reference != nil) : weights
    }
}

/// What the evaluator sees of a motion in IRG's reward: the first
/// floor(T/4)*4 frames, at most 196 (zero-padded to 196 by the evaluator).
public enum EvaluatorCrop {
    public static let maxFrames = 196

    public static func apply(_ motion: MotionFeatures, field: String) throws -> MotionFeatures {
        guard motion.frames >= 4 else {
            throw AssessmentError.invalid("\(field) has \(motion.frames) frames; the evaluator needs at least 4")
        }
        let frames = min(motion.frames / 4 * 4, maxFrames)
        return MotionFeatures(frames: frames, dim: motion.dim, values: Array(motion.values.prefix(frames * motion.dim)))
    }
}
