import Foundation
import IRGMotion
import IRGText

/// A BERT-family encoder (BERT, RoBERTa) from an HF folder: `config.json`,
/// `model.safetensors` (or shards), `tokenizer.json`. Only the first
/// `layers` layers are loaded, as BERTScore truncates the model to the layer
/// whose hidden states it compares.
public struct BERTEncoder: Sendable {
    public let config: BERTConfig
    let embeddings: BERTEmbeddings
    let layers: [BERTLayer]

    public init(folder: URL, layers count: Int? = nil) throws {
        config = try BERTConfig(folder: folder)
        try config.check()
        let count = count ?? config.numHiddenLayers
        guard (0...config.numHiddenLayers).contains(count) else {
            throw BERTError.invalid("\(count) layers asked of a model with \(config.numHiddenLayers)")
        }
        let weights = BERTWeights(checkpoint: try SafeTensorsCheckpoint(folder))
        let config = config
        embeddings = try BERTEmbeddings(weights, config: config)
        layers = try (0..<count).map { try BERTLayer(weights, layer: $0, config: config) }
    }

    /// The longest sequence the position table allows.
    public var maxTokens: Int { config.maxPositionEmbeddings - config.firstPosition }

    /// The hidden states after the loaded layers: (T, hidden) for one sequence.
    public func hiddenStates(_ ids: [Int]) throws -> [Float] {
        guard !ids.isEmpty, ids.count <= maxTokens else { throw BERTError.invalid("\(ids.count) tokens; the model takes 1 to \(maxTokens)") }
        guard let bad = ids.first(where: { !(0..<config.vocabSize).contains($0) }) else {
            return layers.reduce(embeddings(ids)) { x, layer in layer(x, tokens: ids.count) }
        }
        throw BERTError.invalid("token id \(bad) is outside the vocabulary of \(config.vocabSize)")
    }
}
