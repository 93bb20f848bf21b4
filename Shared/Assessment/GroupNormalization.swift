/// How AssessBatch rescales a reward term within a group of completions
/// (GRPO's group: the completions of one prompt) before the weighted sum.
public enum GroupNormalization: Sendable {
    /// The raw values.
    case none
    /// IRG's `--reward_norm_before_add`: (r - min) / (max - min + 1e-4).
    case minMax
    /// (r - mean) / (std + 1e-4), the population standard deviation
    /// (GRPO's advantage scaling; the 1e-4 keeps a constant group finite).
    case zScore

    public func apply(_ values: [Double]) -> [Double] {
        guard let low = values.min(), let high = values.max() else { return values }
        switch self {
        case .none:
            return values
        case .minMax:
            return values.map { ($0 - low) / (high - low + 1e-4) }
        case .zScore:
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            return values.map { ($0 - mean) / (variance.squareRoot() + 1e-4) }
        }
    }
}
