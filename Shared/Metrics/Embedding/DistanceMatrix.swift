import COpenBLAS

/// Euclidean distances between every row of `a` and every row of `b`, as the
/// reference computes them: sqrt(-2 a.b + |a|^2 + |b|^2), row-major (a.rows, b.rows).
/// Rounding can make the radicand slightly negative for (near) identical rows;
/// it is clamped at zero where the reference would give NaN.
public func euclideanDistanceMatrix(_ a: EmbeddingMatrix, _ b: EmbeddingMatrix) -> [Double] {
    precondition(a.dim == b.dim, "embedding widths differ: \(a.dim) and \(b.dim)")
    var products = [Double](repeating: 0, count: a.rows * b.rows)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(a.rows), Int32(b.rows), Int32(a.dim),
                1, a.values, Int32(a.dim), b.values, Int32(b.dim), 0, &products, Int32(b.rows))
    let squaresA = (0..<a.rows).map { squaredNorm(a.row($0)) }
    let squaresB = (0..<b.rows).map { squaredNorm(b.row($0)) }
    for i in 0..<a.rows {
        for j in 0..<b.rows {
            products[i * b.rows + j] = (max(0, -2 * products[i * b.rows + j] + squaresA[i] + squaresB[j])).squareRoot()
        }
    }
    return products
}

func squaredNorm(_ row: ArraySlice<Double>) -> Double { row.reduce(0) { $0 + $1 * $1 } }

/// The L2 distance between two rows.
func distance(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double {
    zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
}
