import IRGMetrics

/// Every term of one assessed item, and its reward.
public struct AssessmentTerms: Sendable {
    /// Embedding terms: nil without an evaluator.
    public var alignment: Double?
    public var matchingDistance: Double?
    public var mmDistance: Double?
    public var format: Double?
    public var selfAssessment: Double?
    /// Each round's tm_distance, and the terms over them (with a transcript that has motions).
    public var roundTmDistances: [Double] = []
    public var process: ProcessRewards?
    public var quality: MotionQuality?
    public var motionMissing = false
    /// The terms the reward summed, as summed (after the group's normalisation).
    public var summed: [RewardTerm: Double] = [:]
    public var reward = 0.0

    public var tmDistance: Double? { matchingDistance.map { -$0 } }
    public var similarity: Double? { alignment.map { (1 + $0) / 2 } }

    /// The raw value of a term, nil where the item does not have it.
    public func value(_ term: RewardTerm) -> Double? {
        switch term {
        case .alignment: return alignment
        case .similarity: return similarity
        case .matchingDistance: return matchingDistance
        case .tmDistance: return tmDistance
        case .mmDistance: return mmDistance
        case .format: return format
        case .selfAssessment: return selfAssessment
        case .jitter: return quality?.jitter
        case .dynamic: return quality?.dynamic
        case .footSliding: return quality?.footSliding
        case .groundPenetration: return quality?.groundPenetration
        case .footFloating: return quality?.footFloating
        case .processFirst: return process?.first
        case .processLast: return process?.last
        case .processBest: return process?.best
        case .processMean: return process?.mean
        case .lastIsBest: return process?.lastIsBest
        case .ranking: return process?.ranking
        }
    }
}
