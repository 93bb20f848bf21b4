/// A term the assessor computes and a request can weigh, by the name used in
/// `MotionAssessRequest.weights` and `MotionAssessResponse.terms`.
public enum RewardTerm: String, CaseIterable, Comparable, Sendable {
    case alignment, similarity, format, jitter, dynamic, ranking
    case matchingDistance = "matching_distance"
    case tmDistance = "tm_distance"
    case mmDistance = "mm_distance"
    case selfAssessment = "self_assessment"
    case footSliding = "foot_sliding"
    case groundPenetration = "ground_penetration"
    case footFloating = "foot_floating"
    case processFirst = "process_first"
    case processLast = "process_last"
    case processBest = "process_best"
    case processMean = "process_mean"
    case lastIsBest = "last_is_best"

    /// IRG normalises every reward but strict_format within the group.
    public var isNormalizedInGroup: Bool { self != .format }

    /// Terms measured in the evaluator's embedding space.
    public var needsEvaluator: Bool {
        switch self {
        case .alignment, .similarity, .matchingDistance, .tmDistance, .mmDistance,
             .processFirst, .processLast, .processBest, .processMean, .lastIsBest, .ranking: return true
        default: return false
        }
    }

    public static func < (a: RewardTerm, b: RewardTerm) -> Bool { a.rawValue < b.rawValue }

    /// Names to weights; an unknown name is an error naming it.
    public static func weights(_ named: [String: Double]) throws -> [RewardTerm: Double] {
        var out: [RewardTerm: Double] = [:]
        for (name, weight) in named {
            guard let term = RewardTerm(rawValue: name) else {
                throw AssessmentError.invalid("weights: unknown term '\(name)'; known: \(allCases.map(\.rawValue).sorted().joined(separator: ", "))")
            }
            guard weight.isFinite else { throw AssessmentError.invalid("weights: '\(name)' is not finite") }
            out[term] = weight
        }
        return out
    }

    /// IRG's stage 3 (`strict_format guo_tm_distance guo_mm_distance`, weights 1),
    /// each term only where the item can have it.
    public static func stageThreeWeights(hasTranscript: Bool, hasReference: Bool) -> [RewardTerm: Double] {
        var out: [RewardTerm: Double] = [.tmDistance: 1]
        if hasTranscript { out[.format] = 1 }
        if hasReference { out[.mmDistance] = 1 }
        return out
    }
}

/// Why one item cannot be assessed: bad input, or a term that needs what
/// the service lacks (an evaluator, a generator).
public enum AssessmentError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalid(let m), .unavailable(let m): return m
        }
    }
}
