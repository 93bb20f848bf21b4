import IRGNumerics

/// The co-embedding encoder both text and motion encoders share: `input_emb`
/// Linear, a bidirectional GRU over each sequence's own length starting from
/// the learned `hidden` (2, 1, H), both directions' last states concatenated,
/// and `output_net`: Linear(2H, H), LayerNorm, LeakyReLU(0.2), Linear(H, out).
///
/// Nothing lies between `input_emb` and the GRU's input projections W_ih, so
/// they are one affine map per direction, composed once in double precision
/// (with any linear layer before `input_emb` too: `preceding`). The product is
/// the same up to rounding and takes less than half the multiply-adds.
struct BiGRUCoEncoder {
    let gru: BidirectionalGRU
    let initialHidden: (forward: [Float], backward: [Float])
    let outputProjection: Linear
    let outputNorm: LayerNorm
    let output: Linear

    init(_ weights: WeightSource, prefix: String, input: Int, hidden: Int, output: Int, preceding: AffineMap? = nil) throws {
        var embedding = try AffineMap(weights, "\(prefix)input_emb", input: input, output: hidden)
        if let preceding { embedding = embedding.after(preceding) }
        let direction = { (suffix: String) in
            let inputProjection = try AffineMap(inFeatures: hidden, outFeatures: 3 * hidden,
                                                weight: weights.tensor("\(prefix)gru.weight_ih_l0\(suffix)", shape: [3 * hidden, hidden]),
                                                bias: weights.tensor("\(prefix)gru.bias_ih_l0\(suffix)", shape: [3 * hidden])).after(embedding)
            return try BidirectionalGRU.Direction(
                inputWeight: inputProjection.floatWeight,
                hiddenWeight: weights.tensor("\(prefix)gru.weight_hh_l0\(suffix)", shape: [3 * hidden, hidden]),
                inputBias: inputProjection.floatBias,
                hiddenBias: weights.tensor("\(prefix)gru.bias_hh_l0\(suffix)", shape: [3 * hidden]))
        }
        gru = try BidirectionalGRU(inputSize: embedding.inFeatures, hiddenSize: hidden, forward: direction(""), backward: direction("_reverse"))
        let initial = try weights.tensor("\(prefix)hidden", shape: [2, 1, hidden])
        initialHidden = (Array(initial[..<hidden]), Array(initial[hidden...]))
        outputProjection = try Linear(AffineMap(weights, "\(prefix)output_net.0", input: 2 * hidden, output: hidden))
        outputNorm = try LayerNorm(weight: weights.tensor("\(prefix)output_net.1.weight", shape: [hidden]),
                                   bias: weights.tensor("\(prefix)output_net.1.bias", shape: [hidden]))
        self.output = try Linear(AffineMap(weights, "\(prefix)output_net.3", input: hidden, output: output))
    }

    /// `sequences[i]`: (length_i, input) rows (the input of `preceding` when
    /// there is one). Returns (count, out) embeddings.
    func callAsFunction(_ sequences: [[Float]]) -> [Float] {
        let last = gru.lastHidden(sequences, initial: initialHidden)
        var hidden = outputNorm(outputProjection(last, rows: sequences.count))
        leakyReLU(&hidden)
        return output(hidden, rows: sequences.count)
    }
}
