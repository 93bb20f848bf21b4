import COpenBLAS

/// The principal square root of a square matrix by the Schur method (Björck and
/// Hammarling), as scipy.linalg.sqrtm: A = Z T Z*, R = sqrt(T) column by column
/// (T upper triangular), sqrtm(A) = Z R Z*. A real Schur form with only real,
/// non-negative eigenvalues stays real; otherwise the complex Schur form is used
/// and the result may be complex. Matrices are column-major n x n.
struct MatrixSquareRoot {
    let n: Int
    let real: [Double]
    /// nil when the root is real.
    let imaginary: [Double]?

    var isFinite: Bool { real.allSatisfy(\.isFinite) && (imaginary?.allSatisfy(\.isFinite) ?? true) }

    init(_ a: [Double], n: Int) throws {
        self.n = n
        if let root = try Self.realRoot(a, n: n) {
            (real, imaginary) = (root, nil)
        } else {
            let root = try Self.complexRoot(a, n: n)
            real = root.map(\.re)
            imaginary = root.map(\.im)
        }
    }

    // MARK: Real Schur form

    private static func realRoot(_ a: [Double], n: Int) throws -> [Double]? {
        var t = a
        var z = [Double](repeating: 0, count: n * n)
        var (wr, wi) = ([Double](repeating: 0, count: n), [Double](repeating: 0, count: n))
        try lapack("dgees", n: n) { n32, lwork, work, info in
            var sdim: Int32 = 0
            var bwork = [Int32](repeating: 0, count: n)
            dgees_("V", "N", nil, n32, &t, n32, &sdim, &wr, &wi, &z, n32, work, lwork, &bwork, info, 1, 1)
        }
        guard wi.allSatisfy({ $0 == 0 }), wr.allSatisfy({ $0 >= 0 }) else { return nil }
        let root = triangularRoot(t, n: n)
        return similarity(z, root, n: n)
    }

    /// Z R Z^T.
    private static func similarity(_ z: [Double], _ r: [Double], n: Int) -> [Double] {
        var zr = [Double](repeating: 0, count: n * n)
        var out = zr
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, z, Int32(n), r, Int32(n), 0, &zr, Int32(n))
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(n), 1, zr, Int32(n), z, Int32(n), 0, &out, Int32(n))
        return out
    }

    // MARK: Complex Schur form

    private static func complexRoot(_ a: [Double], n: Int) throws -> [ComplexNumber] {
        var t = [Double](repeating: 0, count: 2 * n * n)
        for (k, value) in a.enumerated() { t[2 * k] = value }
        var z = [Double](repeating: 0, count: 2 * n * n)
        var w = [Double](repeating: 0, count: 2 * n)
        var rwork = [Double](repeating: 0, count: n)
        try lapack("zgees", n: n, complex: true) { n32, lwork, work, info in
            var sdim: Int32 = 0
            var bwork = [Int32](repeating: 0, count: n)
            zgees_("V", "N", nil, n32, &t, n32, &sdim, &w, &z, n32, work, lwork, &rwork, &bwork, info, 1, 1)
        }
        let complex = { (m: [Double]) in (0..<n * n).map { ComplexNumber(re: m[2 * $0], im: m[2 * $0 + 1]) } }
        let root = triangularRoot(complex(t), n: n)
        // Z R Z^H, straightforwardly: this path is the rare fallback.
        let zs = complex(z)
        var zr = [ComplexNumber](repeating: .zero, count: n * n)
        for j in 0..<n { for k in 0...j { let r = root[j * n + k]; for i in 0..<n { zr[j * n + i] = zr[j * n + i] + zs[k * n + i] * r } } }
        var out = [ComplexNumber](repeating: .zero, count: n * n)
        for j in 0..<n { for k in 0..<n { let c = zs[k * n + j].conjugate; for i in 0..<n { out[j * n + i] = out[j * n + i] + zr[k * n + i] * c } } }
        return out
    }

    // MARK: Shared pieces

    /// The upper-triangular square root of the upper triangle of T, column by
    /// column: R_ii = sqrt(T_ii), R_ij = (T_ij - sum_k R_ik R_kj) / (R_ii + R_jj).
    /// A zero denominator gives 0 when the numerator is 0 too and NaN otherwise,
    /// as scipy does, so a singular product surfaces as a non-finite root.
    private static func triangularRoot<Scalar: SchurScalar>(_ t: [Scalar], n: Int) -> [Scalar] {
        var r = [Scalar](repeating: .zero, count: n * n)
        for j in 0..<n {
            r[j * n + j] = t[j * n + j].principalSquareRoot
            for i in stride(from: j - 1, through: 0, by: -1) {
                var sum = Scalar.zero
                for k in (i + 1)..<j { sum = sum + r[k * n + i] * r[j * n + k] }
                let numerator = t[j * n + i] - sum
                let denominator = r[i * n + i] + r[j * n + j]
                r[j * n + i] = denominator == .zero ? (numerator == .zero ? .zero : .notANumber) : numerator / denominator
            }
        }
        return r
    }

    /// Runs a LAPACK driver twice: a workspace query, then the real call.
    private static func lapack(_ name: String, n: Int, complex: Bool = false,
                               _ call: (UnsafePointer<Int32>, UnsafePointer<Int32>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Int32>) -> Void) throws {
        var n32 = Int32(n)
        var info: Int32 = 0
        var lwork: Int32 = -1
        var query = [Double](repeating: 0, count: 2)
        call(&n32, &lwork, &query, &info)
        lwork = Int32(max(query[0], Double(2 * n)))
        var work = [Double](repeating: 0, count: Int(lwork) * (complex ? 2 : 1))
        call(&n32, &lwork, &work, &info)
        guard info == 0 else { throw MetricError.invalid("\(name) failed (info \(info)) on a \(n) x \(n) matrix") }
    }
}

/// The scalars the Schur square root runs on: real or complex.
protocol SchurScalar: Equatable {
    static var zero: Self { get }
    static var notANumber: Self { get }
    var principalSquareRoot: Self { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
}

extension Double: SchurScalar {
    static var notANumber: Double { .nan }
    var principalSquareRoot: Double { squareRoot() }
}

extension ComplexNumber: SchurScalar {
    static var notANumber: ComplexNumber { ComplexNumber(re: .nan, im: .nan) }
    var principalSquareRoot: ComplexNumber { squareRoot }
}
