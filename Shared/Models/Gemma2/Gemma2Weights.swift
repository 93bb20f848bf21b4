import Foundation
import IRGMotion
import IRGNumerics

/// Gemma2's tensors by their HF names, from a safetensors checkpoint (the
/// mapping kept: F32 matrices are read in place, BF16 and I8 ones packed for
/// their kernels and the file's pages let go).
struct Gemma2Weights {
    let checkpoint: SafeTensorsCheckpoint
    let config: Gemma2Config

    /// (out, in) of a projection.
    static func shape(of projection: String, _ c: Gemma2Config) -> (Int, Int) {
        switch projection {
        case "q_proj": return (c.headCount * c.headDim, c.hiddenSize)
        case "k_proj", "v_proj": return (c.keyValueHeadCount * c.headDim, c.hiddenSize)
        case "o_proj": return (c.hiddenSize, c.headCount * c.headDim)
        case "gate_proj", "up_proj": return (c.intermediateSize, c.hiddenSize)
        default: return (c.hiddenSize, c.intermediateSize)  // down_proj
        }
    }

    func matrix(_ name: String, out: Int, in inFeatures: Int) throws -> WeightMatrix {
        let tensor = try checkpoint.tensor(name)
        guard tensor.dtype == .i8 else { return try WeightMatrix(tensor, name: name, out: out, in: inFeatures) }
        return try WeightMatrix(int8: tensor, scales: checkpoint.tensor(name + Int8Checkpoint.scaleSuffix),
                                name: name, out: out, in: inFeatures)
    }

    func vector(_ name: String, count: Int) throws -> [Float] {
        let t: SafeTensor = try checkpoint.tensor(name, shape: [count])
        return t.floats()
    }

    func projection(layer: Int, _ module: String, _ name: String) throws -> Projection {
        let (out, inp) = Self.shape(of: name, config)
        return Projection(weight: try matrix("model.layers.\(layer).\(module).\(name).weight", out: out, in: inp))
    }

    func norm(_ name: String) throws -> Gemma2RMSNorm {
        Gemma2RMSNorm(weight: try vector(name, count: config.hiddenSize), eps: config.rmsNormEps)
    }

    func block(_ i: Int, attentionSoftcap: Float?) throws -> Gemma2Block {
        let c = config
        let p = "model.layers.\(i)."
        let attention = Gemma2Attention(
            query: try projection(layer: i, "self_attn", "q_proj"), key: try projection(layer: i, "self_attn", "k_proj"),
            value: try projection(layer: i, "self_attn", "v_proj"), output: try projection(layer: i, "self_attn", "o_proj"),
            heads: c.headCount, keyValueHeads: c.keyValueHeadCount, headDim: c.headDim,
            scaling: Float(1 / c.queryPreAttentionScalar.squareRoot()), softcap: attentionSoftcap,
            window: c.slidingLayers[i] ? c.slidingWindow : nil)
        let mlp = Gemma2MLP(gate: try projection(layer: i, "mlp", "gate_proj"), up: try projection(layer: i, "mlp", "up_proj"),
                            down: try projection(layer: i, "mlp", "down_proj"))
        return Gemma2Block(
            inputNorm: try norm(p + "input_layernorm.weight"), attention: attention,
            postAttentionNorm: try norm(p + "post_attention_layernorm.weight"),
            preFeedforwardNorm: try norm(p + "pre_feedforward_layernorm.weight"), mlp: mlp,
            postFeedforwardNorm: try norm(p + "post_feedforward_layernorm.weight"))
    }
}
