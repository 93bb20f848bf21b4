import COpenBLAS

/// torch.nn.Conv1d on OpenBLAS: im2col per sequence (zero padding at each
/// sequence's own edges), then one sgemm for the whole batch.
/// Weight layout is PyTorch's (out, in, kernel), i.e. rows of in*kernel.
public struct Conv1d: Sendable {
    public let inChannels: Int, outChannels: Int, kernel: Int
    public let stride: Int, padding: Int, dilation: Int
    public let weight: [Float]
    public let bias: [Float]

    public init(inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
                weight: [Float], bias: [Float]) {
        precondition(weight.count == outChannels * inChannels * kernel && bias.count == outChannels, "conv weight shape")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.weight = weight
        self.bias = bias
    }

    public func outputLength(_ length: Int) -> Int {
        (length + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
    }

    public func callAsFunction(_ x: Sequences) -> Sequences {
        precondition(x.channels == inChannels, "conv expects \(inChannels) channels, got \(x.channels)")
        let outLengths = x.lengths.map(outputLength)
        var y = Sequences(channels: outChannels, lengths: outLengths)
        let n = y.columns, k = inChannels * kernel
        // Bias first; sgemm then adds W * cols (beta = 1).
        for o in 0..<outChannels {
            for t in 0..<n { y.data[o * n + t] = bias[o] }
        }
        if kernel == 1 && stride == 1 && padding == 0 {
            gemm(rows: outChannels, cols: n, inner: k, b: x.data, into: &y.data)
            return y
        }
        let cols = im2col(x, outLengths: outLengths)
        gemm(rows: outChannels, cols: n, inner: k, b: cols, into: &y.data)
        return y
    }

    /// cols[(c * kernel + j), column] = x[c, t * stride + j * dilation - padding] within each sequence.
    private func im2col(_ x: Sequences, outLengths: [Int]) -> [Float] {
        let n = outLengths.reduce(0, +), inColumns = x.columns
        var cols = [Float](repeating: 0, count: inChannels * kernel * n)
        let inOffsets = x.offsets
        cols.withUnsafeMutableBufferPointer { out in
            x.data.withUnsafeBufferPointer { input in
                var column = 0
                for (s, outLength) in outLengths.enumerated() {
                    let length = x.lengths[s], base = inOffsets[s]
                    for c in 0..<inChannels {
                        let source = input.baseAddress! + c * inColumns + base
                        for j in 0..<kernel {
                            let row = out.baseAddress! + (c * kernel + j) * n + column
                            let shift = j * dilation - padding
                            for t in 0..<outLength {
                                let i = t * stride + shift
                                if i >= 0 && i < length { row[t] = source[i] }
                            }
                        }
                    }
                    column += outLength
                }
            }
        }
        return cols
    }

    private func gemm(rows m: Int, cols n: Int, inner k: Int, b: [Float], into c: inout [Float]) {
        weight.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { bb in
                c.withUnsafeMutableBufferPointer { cc in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                                1, a.baseAddress, Int32(k), bb.baseAddress, Int32(n), 1, cc.baseAddress, Int32(n))
                }
            }
        }
    }
}
