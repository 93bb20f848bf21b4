/// Row-major embeddings, one row per text or motion (the evaluator's 512-d
/// space). Metrics read them in double precision.
public struct EmbeddingMatrix: Sendable, Equatable {
    public let rows: Int
    public let dim: Int
    public let values: [Double]

    public init(rows: Int, dim: Int, values: [Double]) {
        precondition(values.count == rows * dim, "\(values.count) values are not \(rows) x \(dim)")
        self.rows = rows
        self.dim = dim
        self.values = values
    }

    public init(rows: Int, dim: Int, floats: [Float]) {
        self.init(rows: rows, dim: dim, values: floats.map(Double.init))
    }

    public func row(_ i: Int) -> ArraySlice<Double> { values[i * dim ..< (i + 1) * dim] }

    /// Rows `range` as a matrix of their own.
    public func rows(_ range: Range<Int>) -> EmbeddingMatrix {
        EmbeddingMatrix(rows: range.count, dim: dim, values: Array(values[range.lowerBound * dim ..< range.upperBound * dim]))
    }
}

public enum MetricError: Error, CustomStringConvertible, Equatable {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let why): return why
        }
    }
}
