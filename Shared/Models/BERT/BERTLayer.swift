import Foundation
import IRGNumerics

/// Multi-head self-attention over the whole sequence, then the output
/// projection with a residual and LayerNorm (post-norm, as BERT).
struct BERTAttention {
    let query: Linear, key: Linear, value: Linear, output: Linear
    let layerNorm: LayerNorm
    let heads: Int

    init(_ weights: BERTWeights, layer: Int, config: BERTConfig) throws {
        let (h, name) = (config.hiddenSize, "encoder.layer.\(layer).attention")
        query = try weights.linear("\(name).self.query", in: h, out: h)
        key = try weights.linear("\(name).self.key", in: h, out: h)
        value = try weights.linear("\(name).self.value", in: h, out: h)
        output = try weights.linear("\(name).output.dense", in: h, out: h)
        layerNorm = try weights.layerNorm("\(name).output.LayerNorm", width: h, eps: config.layerNormEps)
        heads = config.numAttentionHeads
    }

    func callAsFunction(_ x: [Float], tokens: Int) -> [Float] {
        let width = query.outFeatures, d = width / heads
        let (q, k, v) = (query(x, rows: tokens), key(x, rows: tokens), value(x, rows: tokens))
        var context = [Float](repeating: 0, count: tokens * width)
        let scale = 1 / Float(d).squareRoot()
        var scores = [Float](repeating: 0, count: tokens)
        for head in 0..<heads {
            let offset = head * d
            for i in 0..<tokens {
                for j in 0..<tokens {
                    var dot: Float = 0
                    for c in 0..<d { dot += q[i * width + offset + c] * k[j * width + offset + c] }
                    scores[j] = dot * scale
                }
                let top = scores.max()!
                var total: Float = 0
                for j in 0..<tokens { scores[j] = exp(scores[j] - top); total += scores[j] }
                for j in 0..<tokens {
                    let p = scores[j] / total
                    for c in 0..<d { context[i * width + offset + c] += p * v[j * width + offset + c] }
                }
            }
        }
        var y = output(context, rows: tokens)
        for i in y.indices { y[i] += x[i] }
        return layerNorm(y)
    }
}

/// The feed-forward half: dense to the intermediate width, exact (erf) GELU,
/// dense back, residual, LayerNorm.
struct BERTFeedForward {
    let intermediate: Linear, output: Linear
    let layerNorm: LayerNorm

    init(_ weights: BERTWeights, layer: Int, config: BERTConfig) throws {
        let (h, name) = (config.hiddenSize, "encoder.layer.\(layer)")
        intermediate = try weights.linear("\(name).intermediate.dense", in: h, out: config.intermediateSize)
        output = try weights.linear("\(name).output.dense", in: config.intermediateSize, out: h)
        layerNorm = try weights.layerNorm("\(name).output.LayerNorm", width: h, eps: config.layerNormEps)
    }

    func callAsFunction(_ x: [Float], tokens: Int) -> [Float] {
        var hidden = intermediate(x, rows: tokens)
        for i in hidden.indices { hidden[i] = 0.5 * hidden[i] * (1 + erf(hidden[i] / Float(2).squareRoot())) }
        var y = output(hidden, rows: tokens)
        for i in y.indices { y[i] += x[i] }
        return layerNorm(y)
    }
}

/// One encoder layer: attention, then feed-forward.
struct BERTLayer {
    let attention: BERTAttention
    let feedForward: BERTFeedForward

    init(_ weights: BERTWeights, layer: Int, config: BERTConfig) throws {
        attention = try BERTAttention(weights, layer: layer, config: config)
        feedForward = try BERTFeedForward(weights, layer: layer, config: config)
    }

    func callAsFunction(_ x: [Float], tokens: Int) -> [Float] {
        feedForward(attention(x, tokens: tokens), tokens: tokens)
    }
}
