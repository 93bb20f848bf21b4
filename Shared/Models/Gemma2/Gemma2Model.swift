import Foundation
import IRGMotion
import IRGNumerics

/// Gemma2 for causal LM, read top to bottom: scaled token embeddings, the
/// decoder blocks, a final RMSNorm, logits from the tied embedding matrix with
/// the final tanh softcap. LoRA adapters are held unmerged and chosen per sequence.
public struct Gemma2Model: Sendable {
    public let config: Gemma2Config
    public let options: Gemma2Options
    var embedding: WeightMatrix
    var blocks: [Gemma2Block]
    let finalNorm: Gemma2RMSNorm
    let rope: RotaryEmbedding
    public private(set) var adapterNames: [String] = []

    /// Whether attention scores are softcapped (config.json, unless the options say otherwise).
    public var attentionSoftcap: Float? { blocks.first?.attention.softcap }

    /// An HF model folder: config.json, model.safetensors (or shards with the
    /// index), and irg_options.json when present; `options` given here win.
    public init(folder: URL, options overrides: Gemma2Options = Gemma2Options()) throws {
        let config = try Gemma2Config(contentsOf: folder.appendingPathComponent("config.json"))
        var options = try Gemma2Options(folder: folder)
        if let softcap = overrides.attentionSoftcap { options.attentionSoftcap = softcap }
        try self.init(config: config, options: options, checkpoint: SafeTensorsCheckpoint(folder))
    }

    public init(config: Gemma2Config, options: Gemma2Options, checkpoint: SafeTensorsCheckpoint) throws {
        let weights = Gemma2Weights(checkpoint: checkpoint, config: config)
        self.config = config
        self.options = options
        embedding = try weights.matrix("model.embed_tokens.weight", out: config.vocabSize, in: config.hiddenSize)
        let softcap = options.attentionSoftcap == false ? nil : config.attentionSoftcap
        blocks = try (0..<config.layerCount).map { try weights.block($0, attentionSoftcap: softcap) }
        finalNorm = try weights.norm("model.norm.weight")
        rope = RotaryEmbedding(headDim: config.headDim, theta: config.ropeTheta)
    }

    public func makeCache() -> KVCache {
        KVCache(layers: config.layerCount, keyValueHeads: config.keyValueHeadCount, headDim: config.headDim)
    }

    /// Which logits a forward pass returns.
    public enum LogitRows: Sendable {
        /// Every new row (the `irg llm logits` case).
        case all
        /// The last new row of each sequence (decoding).
        case last
    }

    /// Runs the new tokens of each sequence through the model, extending
    /// their caches; returns float32 logits after the final softcap, one
    /// array per returned row, over `vocabulary` (all ids by default; e.g.
    /// only the motion tokens' rows inside a motion span).
    public func forward(_ inputs: [SequenceInput], logits which: LogitRows = .last,
                        vocabulary: Range<Int>? = nil) throws -> [[Float]] {
        let batch = try run(inputs)
        let rows: [Int] = switch which {
        case .all: Array(0..<batch.rowCount)
        case .last: batch.sequences.map { $0.rows.upperBound - 1 }
        }
        return outputLogits(batch.hidden, rows: rows, vocabulary: vocabulary ?? 0..<config.vocabSize)
    }

    /// Decoding: the last row's logits of each sequence over that sequence's
    /// own vocabulary range (nil: all ids), so sequences inside a motion span
    /// compute only the motion rows of the output layer.
    public func forward(_ inputs: [SequenceInput], vocabularies: [Range<Int>?]) throws -> [[Float]] {
        precondition(vocabularies.count == inputs.count, "one vocabulary per sequence")
        let batch = try run(inputs)
        var logits = [[Float]](repeating: [], count: inputs.count)
        let groups = Dictionary(grouping: inputs.indices, by: { vocabularies[$0] ?? 0..<config.vocabSize })
        for (vocabulary, members) in groups {
            let rows = members.map { batch.sequences[$0].rows.upperBound - 1 }
            for (k, row) in outputLogits(batch.hidden, rows: rows, vocabulary: vocabulary).enumerated() { logits[members[k]] = row }
        }
        return logits
    }

    /// The decoder stack over a batch: the last hidden states, caches extended.
    private func run(_ inputs: [SequenceInput]) throws -> (hidden: [Float], rowCount: Int, sequences: [ForwardBatch.Sequence]) {
        let batch = ForwardBatch(inputs, rope: rope)
        for id in batch.tokens where id < 0 || id >= config.vocabSize {
            throw MotionError.parse("token id \(id) is outside the vocabulary (0..<\(config.vocabSize))")
        }
        for s in batch.sequences where s.firstPosition + s.rows.count > config.maxPositions {
            throw MotionError.parse("sequence of \(s.firstPosition + s.rows.count) tokens is longer than the context (\(config.maxPositions))")
        }
        for s in batch.sequences {
            if let name = s.adapter, !adapterNames.contains(name) { throw MotionError.parse("unknown adapter '\(name)'") }
        }
        var x = embed(batch.tokens)
        for (l, block) in blocks.enumerated() { block(&x, batch: batch, layer: l) }
        for s in batch.sequences { s.cache.advance(by: s.rows.count) }
        return (x, batch.rowCount, batch.sequences)
    }

    /// Embedding rows scaled by sqrt(hidden) (48 for Gemma2-2b, exact in BF16 too).
    private func embed(_ tokens: [Int]) -> [Float] {
        let scale = Float(Double(config.hiddenSize).squareRoot())
        return tokens.flatMap { embedding.row($0).map { $0 * scale } }
    }

    private func outputLogits(_ x: [Float], rows: [Int], vocabulary: Range<Int>) -> [[Float]] {
        let h = config.hiddenSize
        let picked = rows.flatMap { x[$0 * h ..< ($0 + 1) * h] }
        let normed = finalNorm(picked, rows: rows.count)
        var logits = [Float](repeating: 0, count: rows.count * vocabulary.count)
        normed.withUnsafeBufferPointer { n in
            logits.withUnsafeMutableBufferPointer { l in
                embedding.apply(n.baseAddress!, rows: rows.count, into: l.baseAddress!, outputs: vocabulary)
            }
        }
        if let cap = config.finalSoftcap { logits.withUnsafeMutableBufferPointer { softcap($0, cap: cap) } }
        return (0..<rows.count).map { Array(logits[$0 * vocabulary.count ..< ($0 + 1) * vocabulary.count]) }
    }

    /// Adds a LoRA adapter, applied unmerged to the sequences that name it.
    public mutating func add(_ adapter: LoRAAdapter) throws {
        guard !adapterNames.contains(adapter.name) else { throw MotionError.parse("adapter '\(adapter.name)' is already loaded") }
        for (layer, modules) in adapter.modules {
            for (projection, lora) in modules { blocks[layer].setAdapter(adapter.name, lora, on: projection) }
        }
        adapterNames.append(adapter.name)
    }

    /// The base model's matrices: the tied embedding and every projection.
    public var matrices: [WeightMatrix] {
        [embedding] + blocks.flatMap { block in
            [block.attention.query, block.attention.key, block.attention.value, block.attention.output,
             block.mlp.gate, block.mlp.up, block.mlp.down].map(\.weight)
        }
    }

    /// Bytes of the base model's matrices (what a decode step reads, less the norms).
    public var weightBytes: Int { matrices.reduce(0) { $0 + $1.byteCount } }

    /// Every matrix of the base model (the tied embedding too) as int8 with a
    /// float32 scale per group of 64 inputs: half the bytes of BF16, so
    /// decoding reads half as much. Adapters stay float32 and unmerged.
    public mutating func quantizeInt8() {
        embedding = embedding.quantizedInt8()
        for i in blocks.indices { blocks[i].quantizeInt8() }
    }

    /// Folds an adapter into the weights (float32): every sequence then runs
    /// with it, at no per-token cost.
    public mutating func merge(_ adapter: LoRAAdapter) {
        for (layer, modules) in adapter.modules {
            for (projection, lora) in modules { blocks[layer].merge(lora, into: projection) }
        }
    }
}
