import COpenBLAS
import Foundation

/// torch.nn.Conv1d on OpenBLAS over a time-major batch with zero margins:
/// one sgemm per kernel tap for the whole batch, each reading the input
/// shifted by the tap's offset (the padding comes from the margins), then
/// one pass that adds the bias (and a residual), applies an optional ReLU
/// and clears the rows between sequences.
public struct Conv1d: Sendable {
    public let inChannels: Int, outChannels: Int, kernel: Int
    public let stride: Int, padding: Int, dilation: Int
    /// (out, kernel, in): tap j of output channel o is the `in` floats at
    /// (o * kernel + j) * in, so a tap's weight is a strided (out, in) matrix.
    let weight: [Float]
    public let bias: [Float]

    /// `weight` in PyTorch's layout (out, in, kernel).
    public init(inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
                weight: [Float], bias: [Float]) {
        precondition(weight.count == outChannels * inChannels * kernel && bias.count == outChannels, "conv weight shape")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.bias = bias
        var tapMajor = [Float](repeating: 0, count: weight.count)
        for o in 0..<outChannels {
            for c in 0..<inChannels {
                for j in 0..<kernel { tapMajor[(o * kernel + j) * inChannels + c] = weight[(o * inChannels + c) * kernel + j] }
            }
        }
        self.weight = tapMajor
    }

    public func outputLength(_ length: Int) -> Int {
        (length + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
    }

    /// conv(x) (+ residual), ReLU'd with `reluOutput`. The output keeps x's margin.
    public func callAsFunction(_ x: Sequences, residual: Sequences? = nil, reluOutput: Bool = false) -> Sequences {
        precondition(x.channels == inChannels, "conv expects \(inChannels) channels, got \(x.channels)")
        precondition(x.margin >= padding, "conv padding \(padding) exceeds the batch's margin \(x.margin)")
        var y = Sequences(channels: outChannels, lengths: x.lengths.map(outputLength), margin: x.margin)
        precondition(residual.map { $0.lengths == y.lengths && $0.margin == y.margin && $0.channels == outChannels } ?? true,
                     "residual shape differs from the output's")
        let epilogue = Conv1dEpilogue(bias: bias, residual: residual, relu: reluOutput)
        let starts = y.starts, lengths = y.lengths
        if stride == 1 && y.lengths == x.lengths {
            // Input and output share one layout: output row r reads input rows r - padding + j * dilation.
            let span = x.span
            y.data.withUnsafeMutableBufferPointer { out in
                products(x, firstRead: span.lowerBound - padding, count: span.count, into: out.baseAddress! + span.lowerBound * outChannels)
                epilogue.apply(source: out.baseAddress!, sourceRows: starts, into: out.baseAddress!, starts: starts, lengths: lengths)
            }
        } else if let strided = stridedProducts(x) {
            defer { strided.rows.deallocate() }
            y.data.withUnsafeMutableBufferPointer { out in
                epilogue.apply(source: strided.rows, sourceRows: strided.firstRows, into: out.baseAddress!, starts: starts, lengths: lengths)
            }
        } else {
            y.data.withUnsafeMutableBufferPointer { out in
                for s in x.lengths.indices {
                    products(x, firstRead: x.starts[s] - padding, count: lengths[s], into: out.baseAddress! + starts[s] * outChannels)
                }
                epilogue.apply(source: out.baseAddress!, sourceRows: starts, into: out.baseAddress!, starts: starts, lengths: lengths)
            }
        }
        return y
    }

    /// When every sequence starts a whole number of strides after the first,
    /// one product computes all outputs (plus a few between sequences) into
    /// scratch rows; `firstRows` says where each sequence's outputs begin.
    private func stridedProducts(_ x: Sequences) -> (rows: UnsafeMutablePointer<Float>, firstRows: [Int])? {
        let first = x.starts[0]
        guard x.starts.allSatisfy({ ($0 - first) % stride == 0 }) else { return nil }
        let firstRows = x.starts.map { ($0 - first) / stride }
        let count = firstRows.last! + outputLength(x.lengths.last!)
        let rows = UnsafeMutablePointer<Float>.allocate(capacity: count * outChannels)
        products(x, firstRead: first - padding, count: count, into: rows)
        return (rows, firstRows)
    }

    /// out[q] = sum_j W_j * x[firstRead + q * stride + j * dilation] for q in 0..<count (rows of outChannels).
    private func products(_ x: Sequences, firstRead: Int, count: Int, into out: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        x.data.withUnsafeBufferPointer { input in
            weight.withUnsafeBufferPointer { w in
                for j in 0..<kernel {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(outChannels), Int32(inChannels), 1,
                                input.baseAddress! + (firstRead + j * dilation) * inChannels, Int32(stride * inChannels),
                                w.baseAddress! + j * inChannels, Int32(kernel * inChannels),
                                j == 0 ? 0 : 1, out, Int32(outChannels))
                }
            }
        }
    }
}
