import CIRGKernels
import Foundation

/// Conv1d on the direct kernel: every sequence's output rows are computed
/// straight from its input rows (padding read from the margins), in items of
/// (row block, group of channel panels) that the compute threads claim.
/// Rows between sequences are never written, so they stay zero.
extension Conv1d {
    func directForward(_ x: Sequences, residual: Sequences?, relu: Bool, into y: inout Sequences) {
        let segments = x.lengths.indices.map { s in
            irg_conv1d_segment(first_read: Int32(x.starts[s] - padding), out_row: Int32(y.starts[s]), rows: Int32(y.lengths[s]),
                               weight_set: 0)
        }
        x.data.withUnsafeBufferPointer { input in
            weight.withUnsafeBufferPointer { packed in
                bias.withUnsafeBufferPointer { bias in
                    residual.withData { residualRows in
                        y.data.withUnsafeMutableBufferPointer { output in
                            segments.withUnsafeBufferPointer { segments in
                                let job = irg_conv1d_job(
                                    input: input.baseAddress, in_channels: Int32(inChannels), kernel: Int32(kernel),
                                    stride: Int32(stride), dilation: Int32(dilation), packed: packed.baseAddress,
                                    weight_set_stride: 0, bias: bias.baseAddress, residual: residualRows,
                                    output: output.baseAddress, out_channels: Int32(outChannels), relu: relu ? 1 : 0,
                                    segments: segments.baseAddress, segment_count: Int32(segments.count))
                                Self.run(job)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The job's items over the compute threads (the caller's thread among them).
    static func run(_ job: irg_conv1d_job, threads: Int = ComputeThreads.count) {
        withUnsafePointer(to: job) { irg_conv1d_run($0, Int32(threads)) }
    }
}
