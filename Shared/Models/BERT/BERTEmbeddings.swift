import IRGNumerics

/// Token + position + token-type (segment 0) embeddings, then LayerNorm.
struct BERTEmbeddings {
    let word: [Float], position: [Float], tokenType: [Float]
    let layerNorm: LayerNorm
    let config: BERTConfig

    init(_ weights: BERTWeights, config: BERTConfig) throws {
        let h = config.hiddenSize
        word = try weights.tensor("embeddings.word_embeddings.weight", shape: [config.vocabSize, h])
        position = try weights.tensor("embeddings.position_embeddings.weight", shape: [config.maxPositionEmbeddings, h])
        tokenType = try weights.tensor("embeddings.token_type_embeddings.weight", shape: [config.typeVocabSize, h])
        layerNorm = try weights.layerNorm("embeddings.LayerNorm", width: h, eps: config.layerNormEps)
        self.config = config
    }

    /// (T, hidden) for one sequence without padding.
    func callAsFunction(_ ids: [Int]) -> [Float] {
        let h = config.hiddenSize
        var x = [Float](repeating: 0, count: ids.count * h)
        for (t, id) in ids.enumerated() {
            let p = config.firstPosition + t
            for i in 0..<h { x[t * h + i] = word[id * h + i] + position[p * h + i] + tokenType[i] }
        }
        return layerNorm(x)
    }
}
