import Foundation
import IRGMotion

/// A Gemma2 `config.json`, in either form transformers writes: the old one
/// (`rope_theta`, sliding window on even layers) or the new one
/// (`rope_parameters`, explicit `layer_types`).
public struct Gemma2Config: Sendable, Equatable {
    public var vocabSize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var keyValueHeadCount: Int
    public var headDim: Int
    /// Scores are scaled by 1/sqrt(this), not 1/sqrt(headDim).
    public var queryPreAttentionScalar: Double
    public var slidingWindow: Int
    /// Per layer: whether attention sees only the last `slidingWindow` keys.
    public var slidingLayers: [Bool]
    public var attentionSoftcap: Float?
    public var finalSoftcap: Float?
    public var rmsNormEps: Float
    public var ropeTheta: Double
    public var maxPositions: Int
    public var bosTokenId: Int
    public var eosTokenIds: [Int]
    public var padTokenId: Int

    public var groupSize: Int { headCount / keyValueHeadCount }

    public init(contentsOf file: URL) throws {
        guard let data = FileManager.default.contents(atPath: file.path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw MotionError.parse("\(file.path) is not a readable JSON config")
        }
        try self.init(json: json, source: file.path)
    }

    public init(json: [String: Any], source: String = "config.json") throws {
        func number(_ key: String) -> Double? { (json[key] as? NSNumber)?.doubleValue }
        func required(_ key: String) throws -> Int {
            guard let v = number(key) else { throw MotionError.parse("\(source) lacks \(key)") }
            return Int(v)
        }
        if let type = json["model_type"] as? String, type != "gemma2" {
            throw MotionError.parse("\(source) describes a \(type) model, not gemma2")
        }
        vocabSize = try required("vocab_size")
        hiddenSize = try required("hidden_size")
        intermediateSize = try required("intermediate_size")
        layerCount = try required("num_hidden_layers")
        headCount = try required("num_attention_heads")
        keyValueHeadCount = Int(number("num_key_value_heads") ?? Double(headCount))
        headDim = Int(number("head_dim") ?? Double(hiddenSize / headCount))
        queryPreAttentionScalar = number("query_pre_attn_scalar") ?? Double(headDim)
        slidingWindow = Int(number("sliding_window") ?? 4096)
        attentionSoftcap = number("attn_logit_softcapping").map(Float.init)
        finalSoftcap = number("final_logit_softcapping").map(Float.init)
        rmsNormEps = Float(number("rms_norm_eps") ?? 1e-6)
        maxPositions = Int(number("max_position_embeddings") ?? 8192)
        bosTokenId = Int(number("bos_token_id") ?? 2)
        padTokenId = Int(number("pad_token_id") ?? 0)
        eosTokenIds = (json["eos_token_id"] as? [NSNumber])?.map(\.intValue) ?? [Int(number("eos_token_id") ?? 1)]
        ropeTheta = try Self.ropeTheta(json, source: source)
        slidingLayers = try Self.slidingLayers(json, layers: layerCount, source: source)
        let activation = json["hidden_activation"] as? String ?? json["hidden_act"] as? String ?? "gelu_pytorch_tanh"
        guard activation == "gelu_pytorch_tanh" else { throw MotionError.parse("\(source): activation \(activation) is not supported (gelu_pytorch_tanh)") }
        if json["attention_bias"] as? Bool == true { throw MotionError.parse("\(source): attention_bias is not supported") }
        if json["tie_word_embeddings"] as? Bool == false { throw MotionError.parse("\(source): untied output embeddings are not supported") }
        guard headCount % keyValueHeadCount == 0 else { throw MotionError.parse("\(source): heads not a multiple of KV heads") }
    }

    private static func ropeTheta(_ json: [String: Any], source: String) throws -> Double {
        if let parameters = json["rope_parameters"] as? [String: Any] {
            let type = parameters["rope_type"] as? String ?? "default"
            guard type == "default" else { throw MotionError.parse("\(source): rope_type \(type) is not supported") }
            return (parameters["rope_theta"] as? NSNumber)?.doubleValue ?? 10000
        }
        if let scaling = json["rope_scaling"], !(scaling is NSNull) {
            throw MotionError.parse("\(source): rope_scaling is not supported")
        }
        return (json["rope_theta"] as? NSNumber)?.doubleValue ?? 10000
    }

    private static func slidingLayers(_ json: [String: Any], layers: Int, source: String) throws -> [Bool] {
        guard let types = json["layer_types"] as? [String] else {
            return (0..<layers).map { $0 % 2 == 0 }
        }
        guard types.count == layers else { throw MotionError.parse("\(source): layer_types has \(types.count) entries for \(layers) layers") }
        return try types.map {
            switch $0 {
            case "sliding_attention": return true
            case "full_attention": return false
            default: throw MotionError.parse("\(source): layer type \($0) is not supported")
            }
        }
    }
}
