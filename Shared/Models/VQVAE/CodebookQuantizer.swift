import IRGNumerics

/// The EMA-reset quantizer at inference: the nearest codebook row by
/// |x|^2 - 2 x.c + |c|^2 (the first on a tie), and rows back from codes.
struct CodebookQuantizer {
    let codebook: [Float]  // (nbCode, codeDim)
    let nbCode: Int, codeDim: Int
    private let squaredNorms: [Float]
    /// x.c for every code at once: a 1x1 convolution whose weight is the codebook.
    private let dotProducts: Conv1d

    init(_ weights: WeightSource, nbCode: Int, codeDim: Int, name: String = "vqvae.quantizer.codebook") throws {
        let rows = try weights.tensor(name, shape: [nbCode, codeDim])
        codebook = rows
        self.nbCode = nbCode
        self.codeDim = codeDim
        squaredNorms = (0..<nbCode).map { r in (0..<codeDim).reduce(0) { $0 + rows[r * codeDim + $1] * rows[r * codeDim + $1] } }
        dotProducts = Conv1d(inChannels: codeDim, outChannels: nbCode, kernel: 1, weight: rows,
                             bias: .init(repeating: 0, count: nbCode))
    }

    /// Codes of every step of `x` (codeDim channels), sequence by sequence.
    func quantize(_ x: Sequences) -> [[Int32]] {
        let dots = dotProducts(x)
        return zip(x.starts, x.lengths).map { start, length in
            (start..<(start + length)).map { row in
                nearest(to: x.data[(row * codeDim)..<((row + 1) * codeDim)], dots: dots.data[(row * nbCode)..<((row + 1) * nbCode)])
            }
        }
    }

    private func nearest(to vector: ArraySlice<Float>, dots: ArraySlice<Float>) -> Int32 {
        let square = vector.reduce(0) { $0 + $1 * $1 }
        var best = Float.infinity, code: Int32 = 0
        for (k, dot) in zip(0..<nbCode, dots) {
            let d = square - 2 * dot + squaredNorms[k]
            if d < best { best = d; code = Int32(k) }
        }
        return code
    }

    /// Codebook rows of each code sequence, as a batch with `margin`.
    func dequantize(_ codes: [[Int32]], margin: Int) -> Sequences {
        Sequences(timeMajor: codes.map { sequence in sequence.flatMap { codebook[(Int($0) * codeDim)..<((Int($0) + 1) * codeDim)] } },
                  channels: codeDim, margin: margin)
    }
}
