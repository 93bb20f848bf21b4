import CIRGKernels
import Foundation

/// torch.nn.GRU(bidirectional=True, batch_first=True), one layer, run on packed
/// sequences of different lengths (pack_padded_sequence): each direction sees
/// only a sequence's own steps, and the result is both directions' last hidden
/// states (PyTorch's h_n), concatenated forward then backward.
///
/// Gates in PyTorch's order r, z, n:
///   r = s(W_ir x + b_ir + W_hr h + b_hr), z = s(W_iz x + b_iz + W_hz h + b_hz)
///   n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),  h' = (1 - z) n + z h
public struct BidirectionalGRU: Sendable {
    /// One direction's weights, PyTorch layouts: W_ih (3H, I), W_hh (3H, H).
    public struct Direction {
        let inputWeight: [Float], hiddenWeight: [Float]
        let inputBias: [Float], hiddenBias: [Float]

        public init(inputWeight: [Float], hiddenWeight: [Float], inputBias: [Float], hiddenBias: [Float]) {
            (self.inputWeight, self.hiddenWeight, self.inputBias, self.hiddenBias) = (inputWeight, hiddenWeight, inputBias, hiddenBias)
        }
    }

    public let inputSize: Int
    public let hiddenSize: Int
    /// Gates on AVX-512 with a polynomial exp with the direct kernel, libm's with OpenBLAS.
    let vectorizedGates: Bool
    /// Each direction's input and hidden projections, gates r, z, n stacked.
    let projections: [(input: Linear, hidden: Linear)]

    public init(inputSize: Int, hiddenSize: Int, forward: Direction, backward: Direction,
                implementation: Conv1d.Implementation = .preferred) {
        let h3 = 3 * hiddenSize
        projections = [forward, backward].map { d in
            (Linear(inFeatures: inputSize, outFeatures: h3, weight: d.inputWeight, bias: d.inputBias, implementation: implementation),
             Linear(inFeatures: hiddenSize, outFeatures: h3, weight: d.hiddenWeight, bias: d.hiddenBias, implementation: implementation))
        }
        vectorizedGates = implementation == .directKernel
        (self.inputSize, self.hiddenSize) = (inputSize, hiddenSize)
    }

    /// `sequences[b]`: (length_b, inputSize) row-major, length >= 1. `initial`:
    /// each direction's starting hidden state (H), shared by the batch (the
    /// evaluator's learned `hidden`). Returns (batch, 2H).
    public func lastHidden(_ sequences: [[Float]], initial: (forward: [Float], backward: [Float])) -> [Float] {
        let lengths = sequences.map { $0.count / inputSize }
        precondition(lengths.allSatisfy { $0 >= 1 }, "GRU sequences must have at least one step")
        // Longest first, so that the sequences still running at any step are a prefix.
        let order = lengths.indices.sorted { lengths[$0] > lengths[$1] }
        let packed = PackedBatch(lengths: order.map { lengths[$0] })
        let x = order.flatMap { sequences[$0] }
        // The directions are independent: each runs on its own share of the
        // threads, so no core waits while another applies the gates.
        let threads = max(1, ComputeThreads.count / 2)
        let initials = [initial.forward, initial.backward]
        var lasts = [[Float]](repeating: [], count: 2)
        lasts.withUnsafeMutableBufferPointer { lasts in
            nonisolated(unsafe) let out = lasts
            parallelRows(2) { d in
                out[d] = run(projections[d], x, packed, initial: initials[d], reversed: d == 1, threads: threads)
            }
        }
        let (forwardLast, backwardLast) = (lasts[0], lasts[1])
        var out = [Float](repeating: 0, count: sequences.count * 2 * hiddenSize)
        for (rank, b) in order.enumerated() {
            let h = hiddenSize
            out.replaceSubrange(b * 2 * h ..< b * 2 * h + h, with: forwardLast[rank * h ..< (rank + 1) * h])
            out.replaceSubrange(b * 2 * h + h ..< (b + 1) * 2 * h, with: backwardLast[rank * h ..< (rank + 1) * h])
        }
        return out
    }

    /// One direction over the sorted batch: the input projections of every step
    /// at once, then one (active x H) x (H x 3H) product per step.
    private func run(_ projection: (input: Linear, hidden: Linear), _ x: [Float], _ batch: PackedBatch, initial: [Float],
                     reversed: Bool, threads: Int) -> [Float] {
        var inputGates = [Float](repeating: 0, count: batch.totalSteps * 3 * hiddenSize)
        projection.input.apply(x, rows: batch.totalSteps, into: &inputGates, threads: threads)
        var hidden = (0..<batch.count).flatMap { _ in initial }
        var hiddenGates = [Float](repeating: 0, count: batch.count * 3 * hiddenSize)
        for step in 0..<batch.maxLength {
            let active = batch.active(at: step)
            projection.hidden.apply(hidden, rows: active, into: &hiddenGates, threads: threads)
            for r in 0..<active {
                let t = reversed ? batch.lengths[r] - 1 - step : step
                update(&hidden, row: r, input: inputGates, inputRow: batch.offsets[r] + t, hiddenGates: hiddenGates)
            }
        }
        return hidden
    }

    private func update(_ hidden: inout [Float], row r: Int, input: [Float], inputRow: Int, hiddenGates: [Float]) {
        let h = hiddenSize
        input.withUnsafeBufferPointer { input in
            hiddenGates.withUnsafeBufferPointer { gates in
                hidden.withUnsafeMutableBufferPointer { hidden in
                    irg_gru_update(input.baseAddress! + inputRow * 3 * h, gates.baseAddress! + r * 3 * h,
                                   hidden.baseAddress! + r * h, Int32(h), vectorizedGates ? 1 : 0)
                }
            }
        }
    }
}

/// Lengths sorted longest first, with where each sequence's rows start.
struct PackedBatch {
    let lengths: [Int]
    let offsets: [Int]
    var count: Int { lengths.count }
    var maxLength: Int { lengths.first ?? 0 }
    var totalSteps: Int { lengths.reduce(0, +) }

    init(lengths: [Int]) {
        self.lengths = lengths
        offsets = lengths.reduce(into: [0]) { $0.append($0.last! + $1) }.dropLast()
    }

    /// How many sequences are still running at `step`.
    func active(at step: Int) -> Int { lengths.firstIndex { $0 <= step } ?? lengths.count }
}
