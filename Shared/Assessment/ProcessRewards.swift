/// Terms over the per-round scores of one transcript (each round's
/// tm_distance, in order): IRG's process rewards, present in its code but
/// not enabled in its stage 3 (REFERENCE-NOTES section 9).
public struct ProcessRewards: Equatable, Sendable {
    public let first: Double
    public let last: Double
    public let best: Double
    public let mean: Double
    /// 1 when the last round scores above every earlier round, else 0; 0.5 for one round.
    public let lastIsBest: Double
    /// Mean over rounds t >= 1 of [max(scores before t) <= s_t + 0.01]; 0.5 for one round.
    public let ranking: Double

    /// Nil when there are no rounds.
    public init?(scores: [Double]) {
        guard let first = scores.first, let last = scores.last, let best = scores.max() else { return nil }
        self.first = first
        self.last = last
        self.best = best
        mean = scores.reduce(0, +) / Double(scores.count)
        guard scores.count > 1 else {
            (lastIsBest, ranking) = (0.5, 0.5)
            return
        }
        lastIsBest = scores.dropLast().allSatisfy { $0 < last } ? 1 : 0
        var earlierBest = first, kept = 0
        for score in scores.dropFirst() {
            if earlierBest <= score + 0.01 { kept += 1 }
            earlierBest = max(earlierBest, score)
        }
        ranking = Double(kept) / Double(scores.count - 1)
    }
}
