import Foundation
import IRGNumerics
import Testing

/// The evaluator's layers on their two paths: the direct kernel with
/// vectorised gates against OpenBLAS with libm's, and a GRU step by hand.
@Suite struct RecurrentLayerTests {
    static func values(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in Float(Double(random.next() >> 11) * 0x1p-53 * 2 - 1) * scale }
    }

    static func gru(_ implementation: Conv1d.Implementation, input: Int, hidden: Int) -> BidirectionalGRU {
        let direction = { (seed: UInt64) in
            BidirectionalGRU.Direction(inputWeight: values(3 * hidden * input, seed: seed, scale: 0.3),
                                       hiddenWeight: values(3 * hidden * hidden, seed: seed + 1, scale: 0.3),
                                       inputBias: values(3 * hidden, seed: seed + 2), hiddenBias: values(3 * hidden, seed: seed + 3))
        }
        return BidirectionalGRU(inputSize: input, hiddenSize: hidden, forward: direction(1), backward: direction(5),
                                implementation: implementation)
    }

    @Test func bothPathsAgree() {
        let (input, hidden) = (40, 37)  // not multiples of 16 or 32: tails and partial panels
        let lengths = [5, 1, 12, 7, 12]
        let sequences = lengths.enumerated().map { Self.values($1 * input, seed: UInt64(100 + $0)) }
        let initial = (Self.values(hidden, seed: 50), Self.values(hidden, seed: 51))
        let direct = Self.gru(.directKernel, input: input, hidden: hidden).lastHidden(sequences, initial: initial)
        let blas = Self.gru(.openBLAS, input: input, hidden: hidden).lastHidden(sequences, initial: initial)
        #expect(direct.count == lengths.count * 2 * hidden)
        #expect(zip(direct, blas).map { abs($0 - $1) }.max()! < 1e-5)
    }

    @Test func oneStepIsPyTorchsFormula() {
        // One sequence of one step from h0: h' = (1 - z) n + z h0, gates r, z, n.
        let gru = Self.gru(.openBLAS, input: 3, hidden: 2)
        let x: [Float] = [0.5, -1, 0.25]
        let h0: [Float] = [0.1, -0.2]
        let out = gru.lastHidden([x], initial: (h0, h0))
        let wi = Self.values(18, seed: 1, scale: 0.3), wh = Self.values(12, seed: 2, scale: 0.3)
        let bi = Self.values(6, seed: 3), bh = Self.values(6, seed: 4)
        let gi = (0..<6).map { o in bi[o] + (0..<3).reduce(Float(0)) { $0 + wi[o * 3 + $1] * x[$1] } }
        let gh = (0..<6).map { o in bh[o] + (0..<2).reduce(Float(0)) { $0 + wh[o * 2 + $1] * h0[$1] } }
        let sigmoid = { (v: Float) in 1 / (1 + expf(-v)) }
        for j in 0..<2 {
            let r = sigmoid(gi[j] + gh[j]), z = sigmoid(gi[2 + j] + gh[2 + j])
            let n = tanhf(gi[4 + j] + r * gh[4 + j])
            #expect(abs(out[j] - ((1 - z) * n + z * h0[j])) < 1e-6)
        }
    }
}
