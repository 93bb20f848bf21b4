import IRGMotion

/// One motion the protocol asks the evaluated model for.
public struct MotionRequest: Sendable {
    public let item: EvaluationItem
    /// The caption as written (not tagged), for the model.
    public let caption: String
    /// The ground-truth crop's length; a model that takes a length uses it.
    public let frames: Int
    /// Non-zero and distinct per request of a run, so a sampling model gives
    /// reproducible and independent motions (MultiModality needs the latter).
    public let seed: UInt64
}

/// Where the evaluated model's motions come from: a folder of pre-generated
/// motions, a generator service, or anything a test makes up.
public protocol MotionSource: Sendable {
    /// Un-normalised features (T, 263), one per request, in order.
    func motions(_ requests: [MotionRequest]) throws -> [MotionFeatures]
    /// Whether two requests that differ only in their seed can give different
    /// motions. MultiModality measures exactly that, so it needs a source that samples.
    var samples: Bool { get }
}
