import Foundation
import IRGMotion
import IRGNumerics

/// One module's low-rank update: W' = W + scale * B A, with A (r, in) and B
/// (out, r); scale is alpha / r (alpha / sqrt(r) with rslora).
public struct LoRAWeights: Sendable {
    let down: WeightMatrix   // A
    let up: WeightMatrix     // B
    let scale: Float

    var rank: Int { down.outFeatures }

    /// W + scale * B A (out, in): float32, or int8 again when W was int8.
    func merged(into weight: WeightMatrix) -> WeightMatrix {
        var w = weight.floats()
        let (a, b) = (down.floats(), up.floats())
        let (out, inp, r) = (weight.outFeatures, weight.inFeatures, rank)
        for o in 0..<out {
            for k in 0..<r {
                let s = scale * b[o * r + k]
                guard s != 0 else { continue }
                for i in 0..<inp { w[o * inp + i] += s * a[k * inp + i] }
            }
        }
        let merged = WeightMatrix(outFeatures: out, inFeatures: inp, floats: w)
        if case .int8 = weight.storage { return merged.quantizedInt8() }
        return merged
    }
}

/// A named LoRA adapter: per layer, per projection ("q_proj", ..., "down_proj").
public struct LoRAAdapter: Sendable {
    public let name: String
    public let rank: Int
    let modules: [Int: [String: LoRAWeights]]

    static let projections = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]

    init(name: String, rank: Int, modules: [Int: [String: LoRAWeights]]) {
        (self.name, self.rank, self.modules) = (name, rank, modules)
    }

    /// A peft adapter folder: `adapter_config.json` (r, lora_alpha, use_rslora,
    /// target_modules) and `adapter_model.safetensors`.
    public init(peftFolder folder: URL, name: String, config: Gemma2Config) throws {
        let configFile = folder.appendingPathComponent("adapter_config.json")
        guard let data = FileManager.default.contents(atPath: configFile.path),
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw MotionError.parse("\(configFile.path) is missing or not JSON")
        }
        guard (json["peft_type"] as? String ?? "LORA") == "LORA", let r = (json["r"] as? NSNumber)?.intValue, r > 0 else {
            throw MotionError.parse("\(configFile.path) is not a LoRA adapter config (peft_type LORA, r)")
        }
        if json["fan_in_fan_out"] as? Bool == true { throw MotionError.parse("\(configFile.path): fan_in_fan_out is not supported") }
        let alpha = (json["lora_alpha"] as? NSNumber)?.doubleValue ?? Double(r)
        let rslora = json["use_rslora"] as? Bool ?? false
        let scale = Float(alpha / (rslora ? Double(r).squareRoot() : Double(r)))
        let weights = try SafeTensorsCheckpoint(folder.appendingPathComponent("adapter_model.safetensors"))
        try self.init(name: name, tensors: weights.tensors, rank: r, scale: scale, config: config, source: folder.path)
    }

    /// From tensors named as peft saves them (`...layers.{i}.self_attn.q_proj.lora_A[.adapter].weight`);
    /// the prefixes `llm.` and `base_model.model.` are ignored.
    init(name: String, tensors: [String: SafeTensor], rank: Int, scale: Float, config: Gemma2Config, source: String) throws {
        var pairs: [Int: [String: (a: SafeTensor?, b: SafeTensor?)]] = [:]
        for (key, tensor) in tensors {
            guard let (layer, projection, isA) = Self.parse(key) else {
                throw MotionError.parse("\(source): tensor \(key) is not a LoRA A/B weight of a Gemma2 projection")
            }
            var pair = pairs[layer, default: [:]][projection] ?? (nil, nil)
            if isA { pair.a = tensor } else { pair.b = tensor }
            pairs[layer, default: [:]][projection] = pair
        }
        var modules: [Int: [String: LoRAWeights]] = [:]
        for (layer, projections) in pairs {
            guard layer < config.layerCount else { throw MotionError.parse("\(source): layer \(layer) is past the model's \(config.layerCount)") }
            for (projection, pair) in projections {
                guard let a = pair.a, let b = pair.b else { throw MotionError.parse("\(source): layer \(layer) \(projection) lacks lora_A or lora_B") }
                let (out, inp) = Gemma2Weights.shape(of: projection, config)
                guard a.shape == [rank, inp], b.shape == [out, rank] else {
                    throw MotionError.badShape("\(source): layer \(layer) \(projection) LoRA shapes \(a.shape), \(b.shape); expected [\(rank), \(inp)], [\(out), \(rank)]")
                }
                modules[layer, default: [:]][projection] = LoRAWeights(
                    down: try WeightMatrix(a, name: "layer \(layer) \(projection) lora_A", out: rank, in: inp),
                    up: try WeightMatrix(b, name: "layer \(layer) \(projection) lora_B", out: out, in: rank),
                    scale: scale)
            }
        }
        self.init(name: name, rank: rank, modules: modules)
    }

    /// (layer, projection, is A) of a LoRA tensor name.
    static func parse(_ key: String) -> (Int, String, Bool)? {
        let parts = key.split(separator: ".").map(String.init)
        guard let layersAt = parts.firstIndex(of: "layers"), layersAt + 4 < parts.count,
              let layer = Int(parts[layersAt + 1]), ["self_attn", "mlp"].contains(parts[layersAt + 2]),
              projections.contains(parts[layersAt + 3]), parts.last == "weight" else { return nil }
        switch parts[layersAt + 4] {
        case "lora_A": return (layer, parts[layersAt + 3], true)
        case "lora_B": return (layer, parts[layersAt + 3], false)
        default: return nil
        }
    }
}
