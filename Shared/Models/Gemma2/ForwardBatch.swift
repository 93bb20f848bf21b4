/// What one forward pass runs: new tokens of one or more sequences, stacked
/// as rows (each sequence's rows consecutive), each continuing its own cache.
struct ForwardBatch: Sendable {
    struct Sequence: Sendable {
        let rows: Range<Int>
        let cache: KVCache
        /// The position of the sequence's first new row (its cache length before the pass).
        let firstPosition: Int
        let adapter: String?
    }

    let sequences: [Sequence]
    let tokens: [Int]
    /// RoPE at each row's position in its sequence.
    let rotations: Rotations
    let adapterRuns: [AdapterRun]

    var rowCount: Int { tokens.count }

    init(_ inputs: [SequenceInput], rope: RotaryEmbedding) {
        var sequences: [Sequence] = [], tokens: [Int] = [], positions: [Int] = []
        for input in inputs {
            let first = input.cache.positions
            sequences.append(Sequence(rows: tokens.count ..< tokens.count + input.tokens.count, cache: input.cache,
                                      firstPosition: first, adapter: input.adapter))
            tokens += input.tokens
            positions += first ..< first + input.tokens.count
        }
        self.sequences = sequences
        self.tokens = tokens
        rotations = rope.rotations(at: positions)
        adapterRuns = sequences.map { AdapterRun(rows: $0.rows, adapter: $0.adapter) }
    }
}

/// New tokens for one sequence, its cache (extended by the pass) and the adapter it runs with.
public struct SequenceInput: Sendable {
    public let tokens: [Int]
    public let cache: KVCache
    public let adapter: String?

    public init(tokens: [Int], cache: KVCache, adapter: String? = nil) {
        (self.tokens, self.cache, self.adapter) = (tokens, cache, adapter)
    }
}
