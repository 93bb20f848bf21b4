import COpenBLAS
import IRGNumerics

/// The EMA-reset quantizer at inference: the nearest codebook row by
/// |x|^2 - 2 x.c + |c|^2 (the first on a tie), and rows back from codes.
struct CodebookQuantizer {
    let codebook: [Float]  // (nbCode, codeDim)
    let nbCode: Int, codeDim: Int
    private let squaredNorms: [Float]

    init(_ weights: WeightSource, nbCode: Int, codeDim: Int, name: String = "vqvae.quantizer.codebook") throws {
        let rows = try weights.tensor(name, shape: [nbCode, codeDim])
        codebook = rows
        self.nbCode = nbCode
        self.codeDim = codeDim
        squaredNorms = (0..<nbCode).map { r in (0..<codeDim).reduce(0) { $0 + rows[r * codeDim + $1] * rows[r * codeDim + $1] } }
    }

    /// Codes of every column of `x` (codeDim channels), sequence by sequence.
    /// The dot products come out as (n, nbCode), so each vector's distances
    /// are contiguous for the search (the other layout made every read a cache miss).
    func quantize(_ x: Sequences) -> [[Int32]] {
        let n = x.columns
        var dots = [Float](repeating: 0, count: n * nbCode)  // X^T (n, dim) x C^T (dim, nb)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasTrans, Int32(n), Int32(nbCode), Int32(codeDim),
                    1, x.data, Int32(n), codebook, Int32(codeDim), 0, &dots, Int32(nbCode))
        var squares = [Float](repeating: 0, count: n)
        for c in 0..<codeDim {
            for t in 0..<n { squares[t] += x.data[c * n + t] * x.data[c * n + t] }
        }
        var codes = [Int32](repeating: 0, count: n)
        dots.withUnsafeBufferPointer { dots in
            for t in 0..<n {
                let row = dots.baseAddress! + t * nbCode
                var best = Float.infinity
                for k in 0..<nbCode {
                    let d = squares[t] - 2 * row[k] + squaredNorms[k]
                    if d < best { best = d; codes[t] = Int32(k) }
                }
            }
        }
        return zip(x.offsets, x.lengths).map { Array(codes[$0..<($0 + $1)]) }
    }

    /// Codebook rows as a (codeDim, N) batch.
    func dequantize(_ codes: [[Int32]]) -> Sequences {
        var out = Sequences(channels: codeDim, lengths: codes.map(\.count))
        let n = out.columns
        for (t, code) in codes.joined().enumerated() {
            for c in 0..<codeDim { out.data[c * n + t] = codebook[Int(code) * codeDim + c] }
        }
        return out
    }
}
