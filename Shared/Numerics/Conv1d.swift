import CIRGKernels
import Foundation

/// torch.nn.Conv1d over a time-major batch whose margins hold the zero
/// padding (see `Sequences`), with the bias, an optional residual and an
/// optional ReLU applied on the way out. Two implementations: the direct
/// AVX-512 kernel (`CIRGKernels`, the default where the CPU has it) and
/// OpenBLAS sgemm per kernel tap (the portable path, and the one the kernel
/// is tested against).
public struct Conv1d: Sendable {
    public enum Implementation: Sendable {
        case directKernel, openBLAS

        public static let preferred: Implementation = irg_conv1d_available() != 0 ? .directKernel : .openBLAS
    }

    public let inChannels: Int, outChannels: Int, kernel: Int
    public let stride: Int, padding: Int, dilation: Int
    public let bias: [Float]
    public let implementation: Implementation
    /// directKernel: panels of 32 output channels, [panel][tap][in][32] (irg_conv1d_pack),
    /// or for Winograd convolutions the four transformed weights so packed (irg_winograd_pack).
    /// openBLAS: (out, kernel, in), so that a tap's weight is a strided (out, in) matrix.
    let weight: [Float]

    /// `weight` in PyTorch's layout (out, in, kernel).
    public init(inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
                weight: [Float], bias: [Float], implementation: Implementation = .preferred) {
        precondition(weight.count == outChannels * inChannels * kernel && bias.count == outChannels, "conv weight shape")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.bias = bias
        self.implementation = implementation
        usesWinograd = implementation == .directKernel && kernel == 3 && stride == 1 && padding == dilation
        switch implementation {
        case .directKernel where usesWinograd:
            let count = irg_winograd_packed_count(Int32(outChannels), Int32(inChannels))
            self.weight = [Float](unsafeUninitializedCapacity: count) { packed, initialized in
                irg_winograd_pack(weight, Int32(outChannels), Int32(inChannels), packed.baseAddress!)
                initialized = count
            }
        case .directKernel:
            let count = irg_conv1d_packed_count(Int32(outChannels), Int32(inChannels), Int32(kernel))
            self.weight = [Float](unsafeUninitializedCapacity: count) { packed, initialized in
                irg_conv1d_pack(weight, Int32(outChannels), Int32(inChannels), Int32(kernel), packed.baseAddress!)
                initialized = count
            }
        case .openBLAS:
            var tapMajor = [Float](repeating: 0, count: weight.count)
            for o in 0..<outChannels {
                for c in 0..<inChannels {
                    for j in 0..<kernel { tapMajor[(o * kernel + j) * inChannels + c] = weight[(o * inChannels + c) * kernel + j] }
                }
            }
            self.weight = tapMajor
        }
    }

    /// Kernel-3 same-length convolutions (all but the strided and 1x1 ones in
    /// the VQ-VAE) run as Winograd F(2, 3) on the direct kernel: 2/3 of the multiply-adds.
    let usesWinograd: Bool

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
        switch implementation {
        case .directKernel where usesWinograd: winogradForward(x, residual: residual, relu: reluOutput, into: &y)
        case .directKernel: directForward(x, residual: residual, relu: reluOutput, into: &y)
        case .openBLAS: blasForward(x, residual: residual, relu: reluOutput, into: &y)
        }
        return y
    }
}
