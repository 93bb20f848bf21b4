import COpenBLAS
import Foundation

/// torch.nn.Conv1d on OpenBLAS: im2col per sequence (zero padding at each
/// sequence's own edges), then one sgemm for the whole batch.
/// Weight layout is PyTorch's (out, in, kernel), i.e. rows of in*kernel.
public struct Conv1d: Sendable {
    public let inChannels: Int, outChannels: Int, kernel: Int
    public let stride: Int, padding: Int, dilation: Int
    public let weight: [Float]
    public let bias: [Float]
    /// The weight split by tap: taps[j] is (out, in), contiguous, for the shifted products.
    let taps: [[Float]]

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
        taps = (0..<kernel).map { j in
            (0..<(outChannels * inChannels)).map { weight[$0 * kernel + j] }
        }
    }

    /// Stride 1 with output length = input length: computed as shifted products, no im2col.
    var keepsLength: Bool { stride == 1 && 2 * padding == dilation * (kernel - 1) }

    public func outputLength(_ length: Int) -> Int {
        (length + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
    }

    /// conv(x), or conv(relu(x)) with `reluInput` (the ReLU fused into the
    /// copy the convolution makes anyway), plus `residual` when given (added
    /// through the matrix product's accumulator, no extra pass).
    public func callAsFunction(_ x: Sequences, reluInput: Bool = false, residual: Sequences? = nil) -> Sequences {
        precondition(x.channels == inChannels, "conv expects \(inChannels) channels, got \(x.channels)")
        let outLengths = x.lengths.map(outputLength)
        var y = Sequences(channels: outChannels, lengths: outLengths)
        let n = y.columns, k = inChannels * kernel
        // The accumulator starts as bias (+ residual); sgemm adds W * cols (beta = 1).
        y.data.withUnsafeMutableBufferPointer { out in
            parallelRows(outChannels) { o in
                let row = out.baseAddress! + o * n
                if let residual {
                    for t in 0..<n { row[t] = bias[o] + residual.data[o * n + t] }
                } else {
                    for t in 0..<n { row[t] = bias[o] }
                }
            }
        }
        if keepsLength {
            shiftedProducts(reluInput ? x.relu() : x, into: &y)
            return y
        }
        let cols = im2col(x, outLengths: outLengths, relu: reluInput)
        gemm(rows: outChannels, cols: n, inner: k, b: cols, into: &y.data)
        return y
    }

    /// y += sum_j taps[j] * x[:, t + j*dilation - padding] over the whole batch at once
    /// (a column-offset view of x per tap). Reads that crossed into a
    /// neighbouring sequence are then taken back out, all of a tap's in one
    /// product: gathered, multiplied, subtracted.
    private func shiftedProducts(_ x: Sequences, into y: inout Sequences) {
        let n = x.columns
        x.data.withUnsafeBufferPointer { input in
            y.data.withUnsafeMutableBufferPointer { out in
                for j in 0..<kernel {
                    let shift = j * dilation - padding
                    // Output columns whose shifted read exists in the batch at all.
                    let first = max(0, -shift), last = min(n, n - shift)
                    guard first < last else { continue }
                    product(taps[j], alpha: 1, input.baseAddress! + first + shift, out.baseAddress! + first,
                            columns: last - first, stride: n)
                    let crossed = crossedReads(x, shift: shift)
                    guard !crossed.isEmpty else { continue }
                    var gathered = [Float](repeating: 0, count: inChannels * crossed.count)
                    for c in 0..<inChannels {
                        for (i, read) in crossed.enumerated() { gathered[c * crossed.count + i] = input[c * n + read.input] }
                    }
                    var wrong = [Float](repeating: 0, count: outChannels * crossed.count)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outChannels), Int32(crossed.count),
                                Int32(inChannels), 1, taps[j], Int32(inChannels), gathered, Int32(crossed.count),
                                0, &wrong, Int32(crossed.count))
                    for o in 0..<outChannels {
                        for (i, read) in crossed.enumerated() { out[o * n + read.output] -= wrong[o * crossed.count + i] }
                    }
                }
            }
        }
    }

    /// (output column, input column) pairs where a sequence's shifted read left
    /// the sequence but stayed inside the batch.
    private func crossedReads(_ x: Sequences, shift: Int) -> [(output: Int, input: Int)] {
        var pairs: [(output: Int, input: Int)] = []
        let n = x.columns
        for (base, length) in zip(x.offsets, x.lengths) {
            for t in 0..<length {
                let read = t + shift
                if (read < 0 || read >= length) && base + read >= 0 && base + read < n { pairs.append((base + t, base + read)) }
            }
        }
        return pairs
    }

    /// c[:, 0..<columns] += alpha * a (out x in) * b[:, 0..<columns], both with row stride `stride`.
    private func product(_ a: [Float], alpha: Float, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                         columns: Int, stride: Int) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outChannels), Int32(columns), Int32(inChannels),
                    alpha, a, Int32(inChannels), b, Int32(stride), 1, c, Int32(stride))
    }

    /// cols[(c * kernel + j), column] = x[c, t * stride + j * dilation - padding]
    /// within each sequence (zero outside it), ReLU'd when asked; rows in parallel.
    private func im2col(_ x: Sequences, outLengths: [Int], relu: Bool) -> [Float] {
        let n = outLengths.reduce(0, +), inColumns = x.columns
        // Every element is written below (zeros outside the sequence), so no fill first.
        var cols = [Float](unsafeUninitializedCapacity: inChannels * kernel * n) { _, count in count = inChannels * kernel * n }
        let inOffsets = x.offsets, lengths = x.lengths
        let outOffsets = outLengths.reduce(into: [0]) { $0.append($0.last! + $1) }
        cols.withUnsafeMutableBufferPointer { out in
            x.data.withUnsafeBufferPointer { input in
                parallelRows(inChannels) { c in
                    for s in outLengths.indices {
                        let source = input.baseAddress! + c * inColumns + inOffsets[s]
                        for j in 0..<kernel {
                            let row = out.baseAddress! + (c * kernel + j) * n + outOffsets[s]
                            let shift = j * dilation - padding
                            for t in 0..<outLengths[s] {
                                let i = t * stride + shift
                                row[t] = i >= 0 && i < lengths[s] ? (relu ? max(0, source[i]) : source[i]) : 0
                            }
                        }
                    }
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

/// Splits `count` independent rows over the cores (for the passes around sgemm).
func parallelRows(_ count: Int, _ body: (Int) -> Void) {
    let workers = min(ProcessInfo.processInfo.activeProcessorCount, max(1, count / 32))
    if workers <= 1 { (0..<count).forEach(body); return }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let work = body
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for row in stride(from: w, to: count, by: workers) { work(row) }
        }
    }
}
