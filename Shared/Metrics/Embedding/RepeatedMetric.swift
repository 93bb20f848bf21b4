/// A metric over repeated evaluations: the mean and the 95% interval
/// 1.96 * std / sqrt(repeats) (std with ddof 0, as np.std).
public struct RepeatedMetric: Sendable, Equatable, Codable {
    public var mean: Double
    public var ci95: Double

    public init(_ values: [Double]) {
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
        self.mean = mean
        ci95 = 1.96 * variance.squareRoot() / count.squareRoot()
    }
}
