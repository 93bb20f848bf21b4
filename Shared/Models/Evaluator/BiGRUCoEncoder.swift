import IRGNumerics

/// The co-embedding encoder both text and motion encoders share: `input_emb`
/// Linear, a bidirectional GRU over each sequence's own length starting from
/// the learned `hidden` (2, 1, H), both directions' last states concatenated,
/// and `output_net`: Linear(2H, H), LayerNorm, LeakyReLU(0.2), Linear(H, out).
struct BiGRUCoEncoder {
    let inputEmbedding: Linear
    let gru: BidirectionalGRU
    let initialHidden: (forward: [Float], backward: [Float])
    let outputProjection: Linear
    let outputNorm: LayerNorm
    let output: Linear

    init(_ weights: WeightSource, prefix: String, input: Int, hidden: Int, output: Int) throws {
        inputEmbedding = try Linear(weights, "\(prefix)input_emb", input: input, output: hidden)
        let direction = { (suffix: String) in
            try BidirectionalGRU.Direction(
                inputWeight: weights.tensor("\(prefix)gru.weight_ih_l0\(suffix)", shape: [3 * hidden, hidden]),
                hiddenWeight: weights.tensor("\(prefix)gru.weight_hh_l0\(suffix)", shape: [3 * hidden, hidden]),
                inputBias: weights.tensor("\(prefix)gru.bias_ih_l0\(suffix)", shape: [3 * hidden]),
                hiddenBias: weights.tensor("\(prefix)gru.bias_hh_l0\(suffix)", shape: [3 * hidden]))
        }
        gru = try BidirectionalGRU(inputSize: hidden, hiddenSize: hidden, forward: direction(""), backward: direction("_reverse"))
        let initial = try weights.tensor("\(prefix)hidden", shape: [2, 1, hidden])
        initialHidden = (Array(initial[..<hidden]), Array(initial[hidden...]))
        outputProjection = try Linear(weights, "\(prefix)output_net.0", input: 2 * hidden, output: hidden)
        outputNorm = try LayerNorm(weight: weights.tensor("\(prefix)output_net.1.weight", shape: [hidden]),
                                   bias: weights.tensor("\(prefix)output_net.1.bias", shape: [hidden]))
        self.output = try Linear(weights, "\(prefix)output_net.3", input: hidden, output: output)
    }

    /// `sequences[i]`: (length_i, input) rows. Returns (count, out) embeddings.
    func callAsFunction(_ sequences: [[Float]]) -> [Float] {
        let embedded = sequences.map { inputEmbedding($0, rows: $0.count / inputEmbedding.inFeatures) }
        let last = gru.lastHidden(embedded, initial: initialHidden)
        var hidden = outputNorm(outputProjection(last, rows: sequences.count))
        leakyReLU(&hidden)
        return output(hidden, rows: sequences.count)
    }
}
