import COpenBLAS

/// The mean and covariance (ddof 1, as np.cov) of a set of embeddings.
public struct GaussianStatistics: Sendable {
    public let dim: Int
    public let mean: [Double]
    /// dim x dim, symmetric.
    public let covariance: [Double]

    public init(_ x: EmbeddingMatrix) throws {
        guard x.rows >= 2 else { throw MetricError.invalid("FID needs at least 2 embeddings per set; got \(x.rows)") }
        dim = x.dim
        var mean = [Double](repeating: 0, count: dim)
        for i in 0..<x.rows { for (d, v) in x.row(i).enumerated() { mean[d] += v } }
        mean = mean.map { $0 / Double(x.rows) }
        var centered = x.values
        for i in 0..<x.rows { for d in 0..<dim { centered[i * dim + d] -= mean[d] } }
        var covariance = [Double](repeating: 0, count: dim * dim)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(dim), Int32(dim), Int32(x.rows),
                    1 / Double(x.rows - 1), centered, Int32(dim), centered, Int32(dim), 0, &covariance, Int32(dim))
        self.mean = mean
        self.covariance = covariance
    }
}

/// The Fréchet distance between two Gaussians (FID on the evaluator's
/// embeddings): |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr(sqrtm(S1 S2)).
/// As the reference: when sqrtm(S1 S2) is not finite, retry with eps added to
/// both diagonals; a complex root is accepted (its real part) only when its
/// diagonal's imaginary parts are within 1e-3 of zero.
public func frechetDistance(_ first: GaussianStatistics, _ second: GaussianStatistics, eps: Double = 1e-6) throws -> Double {
    guard first.dim == second.dim else { throw MetricError.invalid("FID: embedding widths differ (\(first.dim), \(second.dim))") }
    let n = first.dim
    var root = try MatrixSquareRoot(product(first.covariance, second.covariance, n: n), n: n)
    if !root.isFinite {
        let shift = { (s: [Double]) in s.enumerated().map { $0.offset % (n + 1) == 0 ? $0.element + eps : $0.element } }
        root = try MatrixSquareRoot(product(shift(first.covariance), shift(second.covariance), n: n), n: n)
    }
    if let imaginary = root.imaginary {
        let diagonal = (0..<n).map { abs(imaginary[$0 * (n + 1)]) }
        guard diagonal.allSatisfy({ $0 <= 1e-3 }) else {
            throw MetricError.invalid("FID: sqrtm(S1 S2) has an imaginary component \(imaginary.map(abs).max() ?? 0)")
        }
    }
    let traceRoot = (0..<n).reduce(0.0) { $0 + root.real[$1 * (n + 1)] }
    let trace = { (s: [Double]) in (0..<n).reduce(0.0) { $0 + s[$1 * (n + 1)] } }
    let meanGap = zip(first.mean, second.mean).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    return meanGap + trace(first.covariance) + trace(second.covariance) - 2 * traceRoot
}

private func product(_ a: [Double], _ b: [Double], n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: n * n)
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n), 0, &c, Int32(n))
    return c
}
