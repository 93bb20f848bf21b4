import COpenBLAS
import Foundation

/// Conv1d on OpenBLAS: one sgemm per kernel tap for the whole batch, each
/// reading the input shifted by the tap's offset, then one pass that adds
/// the bias (and a residual), applies the ReLU and clears the rows between
/// sequences (`Conv1dEpilogue`).
extension Conv1d {
    func blasForward(_ x: Sequences, residual: Sequences?, relu: Bool, into y: inout Sequences) {
        let epilogue = Conv1dEpilogue(bias: bias, residual: residual, relu: relu)
        let starts = y.starts, lengths = y.lengths
        if stride == 1 && y.lengths == x.lengths {
            // Input and output share one layout: output row r reads input rows r - padding + j * dilation.
            let span = x.span
            y.data.withUnsafeMutableBufferPointer { out in
                products(x, firstRead: span.lowerBound - padding, count: span.count, into: out.baseAddress! + span.lowerBound * outChannels)
                epilogue.apply(source: out.baseAddress!, sourceRows: starts, into: out.baseAddress!, starts: starts, lengths: lengths)
            }
        } else if let firstRows = alignedOutputRows(x) {
            // One product for the whole batch into scratch rows, then into place.
            let count = firstRows.last! + lengths.last!
            ScratchPool.shared.withBuffer(count * outChannels) { scratch in
                products(x, firstRead: x.starts[0] - padding, count: count, into: scratch)
                y.data.withUnsafeMutableBufferPointer { out in
                    epilogue.apply(source: scratch, sourceRows: firstRows, into: out.baseAddress!, starts: starts, lengths: lengths)
                }
            }
        } else {
            y.data.withUnsafeMutableBufferPointer { out in
                for s in x.lengths.indices {
                    products(x, firstRead: x.starts[s] - padding, count: lengths[s], into: out.baseAddress! + starts[s] * outChannels)
                }
                epilogue.apply(source: out.baseAddress!, sourceRows: starts, into: out.baseAddress!, starts: starts, lengths: lengths)
            }
        }
    }

    /// When every sequence starts a whole number of strides after the first,
    /// output row q of one product over the batch reads input rows from
    /// first + q * stride, so sequence s's outputs begin at row (start_s - first) / stride.
    private func alignedOutputRows(_ x: Sequences) -> [Int]? {
        let first = x.starts[0]
        guard x.starts.allSatisfy({ ($0 - first) % stride == 0 }) else { return nil }
        return x.starts.map { ($0 - first) / stride }
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
