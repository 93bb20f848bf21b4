import COpenBLAS
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
    public struct Direction: Sendable {
        let inputWeight: [Float], hiddenWeight: [Float]
        let inputBias: [Float], hiddenBias: [Float]

        public init(inputWeight: [Float], hiddenWeight: [Float], inputBias: [Float], hiddenBias: [Float]) {
            (self.inputWeight, self.hiddenWeight, self.inputBias, self.hiddenBias) = (inputWeight, hiddenWeight, inputBias, hiddenBias)
        }
    }

    public let inputSize: Int
    public let hiddenSize: Int
    let forward: Direction
    let backward: Direction

    public init(inputSize: Int, hiddenSize: Int, forward: Direction, backward: Direction) {
        for d in [forward, backward] {
            precondition(d.inputWeight.count == 3 * hiddenSize * inputSize && d.hiddenWeight.count == 3 * hiddenSize * hiddenSize
                         && d.inputBias.count == 3 * hiddenSize && d.hiddenBias.count == 3 * hiddenSize, "GRU weight shape")
        }
        (self.inputSize, self.hiddenSize, self.forward, self.backward) = (inputSize, hiddenSize, forward, backward)
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
        let forwardLast = run(forward, x, packed, initial: initial.forward, reversed: false)
        let backwardLast = run(backward, x, packed, initial: initial.backward, reversed: true)
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
    private func run(_ d: Direction, _ x: [Float], _ batch: PackedBatch, initial: [Float], reversed: Bool) -> [Float] {
        let h3 = 3 * hiddenSize
        let inputGates = Linear(inFeatures: inputSize, outFeatures: h3, weight: d.inputWeight, bias: d.inputBias)(x, rows: batch.totalSteps)
        var hidden = (0..<batch.count).flatMap { _ in initial }
        var hiddenGates = [Float](repeating: 0, count: batch.count * h3)
        for step in 0..<batch.maxLength {
            let active = batch.active(at: step)
            for r in 0..<active { hiddenGates.replaceSubrange(r * h3 ..< (r + 1) * h3, with: d.hiddenBias) }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(active), Int32(h3), Int32(hiddenSize),
                        1, hidden, Int32(hiddenSize), d.hiddenWeight, Int32(hiddenSize), 1, &hiddenGates, Int32(h3))
            for r in 0..<active {
                let t = reversed ? batch.lengths[r] - 1 - step : step
                update(&hidden, row: r, input: inputGates, inputRow: batch.offsets[r] + t, hiddenGates: hiddenGates)
            }
        }
        return hidden
    }

    private func update(_ hidden: inout [Float], row r: Int, input: [Float], inputRow: Int, hiddenGates: [Float]) {
        let h = hiddenSize
        let gi = inputRow * 3 * h, gh = r * 3 * h
        for j in 0..<h {
            let reset = sigmoid(input[gi + j] + hiddenGates[gh + j])
            let update = sigmoid(input[gi + h + j] + hiddenGates[gh + h + j])
            let candidate = tanhf(input[gi + 2 * h + j] + reset * hiddenGates[gh + 2 * h + j])
            hidden[r * h + j] = (1 - update) * candidate + update * hidden[r * h + j]
        }
    }
}

@inline(__always) func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

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
