import IRGNumerics

/// Captions to co-embeddings: each token is its word vector plus `pos_emb` of
/// its part-of-speech one-hot, then the shared BiGRU co-embedding encoder.
struct TextEncoderBiGRUCo {
    /// Linear(15, 300) applied to a one-hot is its weight's column plus the bias:
    /// one row per part of speech, precomputed.
    let partOfSpeechEmbedding: [[Float]]
    let encoder: BiGRUCoEncoder
    let wordDim: Int

    init(_ weights: WeightSource, prefix: String, config: EvaluatorConfig) throws {
        let (word, tags) = (config.dimWord, config.dimPosOneHot)
        let posEmb = try Linear(AffineMap(weights, "\(prefix)pos_emb", input: tags, output: word))
        partOfSpeechEmbedding = (0..<tags).map { tag in
            posEmb((0..<tags).map { $0 == tag ? 1 : 0 }, rows: 1)
        }
        encoder = try BiGRUCoEncoder(weights, prefix: prefix, input: word, hidden: config.dimTextHidden, output: config.dimCoembHidden)
        wordDim = word
    }

    func callAsFunction(_ captions: [TaggedCaption], vectorizer: WordVectorizer) -> [Float] {
        let sequences = captions.map { caption in
            caption.tokens.flatMap { token in
                let (vector, tag) = vectorizer.vector(word: token.word, tag: token.tag)
                return zip(vector, partOfSpeechEmbedding[tag]).map { $0 + $1 }
            }
        }
        return encoder(sequences)
    }
}
