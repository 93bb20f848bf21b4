import Foundation

/// The fields of a BERT-family `config.json` the encoder needs.
public struct BERTConfig: Decodable, Sendable {
    public var modelType = "bert"
    public var vocabSize: Int
    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var intermediateSize: Int
    public var hiddenAct = "gelu"
    public var maxPositionEmbeddings: Int
    public var typeVocabSize = 2
    public var layerNormEps = 1e-12
    public var padTokenId = 0
    public var positionEmbeddingType = "absolute"

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", vocabSize = "vocab_size", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", intermediateSize = "intermediate_size", hiddenAct = "hidden_act"
        case maxPositionEmbeddings = "max_position_embeddings", typeVocabSize = "type_vocab_size", layerNormEps = "layer_norm_eps"
        case padTokenId = "pad_token_id", positionEmbeddingType = "position_embedding_type"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? modelType
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        numHiddenLayers = try c.decode(Int.self, forKey: .numHiddenLayers)
        numAttentionHeads = try c.decode(Int.self, forKey: .numAttentionHeads)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? hiddenAct
        maxPositionEmbeddings = try c.decode(Int.self, forKey: .maxPositionEmbeddings)
        typeVocabSize = try c.decodeIfPresent(Int.self, forKey: .typeVocabSize) ?? typeVocabSize
        layerNormEps = try c.decodeIfPresent(Double.self, forKey: .layerNormEps) ?? layerNormEps
        padTokenId = try c.decodeIfPresent(Int.self, forKey: .padTokenId) ?? padTokenId
        positionEmbeddingType = try c.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? positionEmbeddingType
    }

    /// The `config.json` of a model folder.
    public init(folder: URL) throws {
        let file = folder.appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: file.path) else { throw BERTError.invalid("cannot read \(file.path)") }
        self = try JSONDecoder().decode(BERTConfig.self, from: data)
    }

    /// RoBERTa numbers positions from pad_token_id + 1; BERT from 0.
    var firstPosition: Int { modelType == "roberta" ? padTokenId + 1 : 0 }

    func check() throws {
        guard ["bert", "roberta"].contains(modelType) else { throw BERTError.unsupported("model_type \(modelType) (bert or roberta)") }
        guard hiddenAct == "gelu" else { throw BERTError.unsupported("hidden_act \(hiddenAct) (gelu)") }
        guard positionEmbeddingType == "absolute" else { throw BERTError.unsupported("position_embedding_type \(positionEmbeddingType)") }
        guard numAttentionHeads > 0, hiddenSize % numAttentionHeads == 0 else {
            throw BERTError.invalid("hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
        }
    }
}

public enum BERTError: Error, CustomStringConvertible, Sendable {
    case unsupported(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .unsupported(let what): return "unsupported BERT model: \(what)"
        case .invalid(let what): return "invalid BERT input: \(what)"
        }
    }
}
