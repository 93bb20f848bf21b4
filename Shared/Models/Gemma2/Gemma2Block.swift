/// One decoder layer, with Gemma2's four norms:
/// h = x + post_attn_norm(attn(input_norm(x))); out = h + post_ffw_norm(mlp(pre_ffw_norm(h))).
struct Gemma2Block: Sendable {
    let inputNorm: Gemma2RMSNorm
    var attention: Gemma2Attention
    let postAttentionNorm: Gemma2RMSNorm
    let preFeedforwardNorm: Gemma2RMSNorm
    var mlp: Gemma2MLP
    let postFeedforwardNorm: Gemma2RMSNorm

    func callAsFunction(_ x: inout [Float], batch: ForwardBatch, layer: Int) {
        let rows = batch.rowCount
        let attended = attention(inputNorm(x, rows: rows), batch: batch, layer: layer)
        add(postAttentionNorm(attended, rows: rows), to: &x)
        let fed = mlp(preFeedforwardNorm(x, rows: rows), batch: batch)
        add(postFeedforwardNorm(fed, rows: rows), to: &x)
    }

    private func add(_ y: [Float], to x: inout [Float]) {
        for i in x.indices { x[i] += y[i] }
    }
}

extension Gemma2Block {
    private func projection(_ name: String) -> WritableKeyPath<Gemma2Block, Projection> {
        switch name {
        case "q_proj": return \.attention.query
        case "k_proj": return \.attention.key
        case "v_proj": return \.attention.value
        case "o_proj": return \.attention.output
        case "gate_proj": return \.mlp.gate
        case "up_proj": return \.mlp.up
        default: return \.mlp.down
        }
    }

    mutating func setAdapter(_ name: String, _ lora: LoRAWeights, on projection: String) {
        self[keyPath: self.projection(projection)].adapters[name] = lora
    }

    mutating func merge(_ lora: LoRAWeights, into projection: String) {
        let path = self.projection(projection)
        self[keyPath: path] = Projection(weight: lora.merged(into: self[keyPath: path].weight),
                                         adapters: self[keyPath: path].adapters)
    }

    /// Every projection's weight as int8 with group scales (adapters stay float32).
    mutating func quantizeInt8() {
        for name in LoRAAdapter.projections {
            let path = projection(name)
            self[keyPath: path] = Projection(weight: self[keyPath: path].weight.quantizedInt8(),
                                             adapters: self[keyPath: path].adapters)
        }
    }
}
