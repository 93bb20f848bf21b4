import CIRGKernels
import COpenBLAS

/// torch.nn.Linear on a row-major batch: y = x W^T + b. Where the CPU has
/// AVX-512 it runs on the direct convolution kernel as a kernel-1 convolution
/// (weights packed once, bias added in registers); elsewhere on OpenBLAS sgemm.
public struct Linear: Sendable {
    public let inFeatures: Int
    public let outFeatures: Int
    /// Packed panels (irg_conv1d_pack) on the direct kernel; (out, in) for OpenBLAS.
    let weight: [Float]
    let bias: [Float]
    let implementation: Conv1d.Implementation

    /// `weight` in PyTorch's layout (out, in).
    public init(inFeatures: Int, outFeatures: Int, weight: [Float], bias: [Float], implementation: Conv1d.Implementation = .preferred) {
        precondition(weight.count == inFeatures * outFeatures && bias.count == outFeatures, "linear weight shape")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.bias = bias
        self.implementation = implementation
        switch implementation {
        case .directKernel:
            let count = irg_conv1d_packed_count(Int32(outFeatures), Int32(inFeatures), 1)
            self.weight = [Float](unsafeUninitializedCapacity: count) { packed, initialized in
                irg_conv1d_pack(weight, Int32(outFeatures), Int32(inFeatures), 1, packed.baseAddress!)
                initialized = count
            }
        case .openBLAS:
            self.weight = weight
        }
    }

    /// `x`: (rows, inFeatures) -> (rows, outFeatures).
    public func callAsFunction(_ x: [Float], rows: Int) -> [Float] {
        var y = [Float](repeating: 0, count: rows * outFeatures)
        apply(x, rows: rows, into: &y)
        return y
    }

    /// The layer that applies `map` (in single precision).
    public init(_ map: AffineMap, implementation: Conv1d.Implementation = .preferred) {
        self.init(inFeatures: map.inFeatures, outFeatures: map.outFeatures, weight: map.floatWeight, bias: map.floatBias,
                  implementation: implementation)
    }

    /// y = x W^T + b into `y`'s first rows (which may hold more rows than that),
    /// on up to `threads` compute threads (the direct kernel; OpenBLAS keeps its own).
    public func apply(_ x: [Float], rows: Int, into y: inout [Float], threads: Int = ComputeThreads.count) {
        precondition(x.count >= rows * inFeatures && y.count >= rows * outFeatures, "linear expects \(inFeatures) features per row")
        guard rows > 0 else { return }
        switch implementation {
        case .directKernel: directForward(x, rows: rows, into: &y, threads: threads)
        case .openBLAS:
            for r in 0..<rows { y.replaceSubrange(r * outFeatures ..< (r + 1) * outFeatures, with: bias) }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outFeatures), Int32(inFeatures),
                        1, x, Int32(inFeatures), weight, Int32(inFeatures), 1, &y, Int32(outFeatures))
        }
    }

    private func directForward(_ x: [Float], rows: Int, into y: inout [Float], threads: Int) {
        var segment = irg_conv1d_segment(first_read: 0, out_row: 0, rows: Int32(rows), weight_set: 0)
        withUnsafePointer(to: &segment) { segment in
        x.withUnsafeBufferPointer { input in
            weight.withUnsafeBufferPointer { packed in
                bias.withUnsafeBufferPointer { bias in
                    y.withUnsafeMutableBufferPointer { output in
                        let job = irg_conv1d_job(
                            input: input.baseAddress, in_channels: Int32(inFeatures), kernel: 1, stride: 1, dilation: 1,
                            packed: packed.baseAddress, weight_set_stride: 0, bias: bias.baseAddress, residual: nil,
                            output: output.baseAddress, out_channels: Int32(outFeatures), relu: 0,
                            segments: segment, segment_count: 1)
                        Conv1d.run(job, threads: threads)
                    }
                }
            }
        }
        }
    }
}
