import IRGNumerics

/// A bias-free linear layer (q, k, v, o, gate, up, down) with the LoRA
/// adapters that touch it, applied unmerged: y = x W^T + scale * (x A^T) B^T.
struct Projection: Sendable {
    let weight: WeightMatrix
    var adapters: [String: LoRAWeights] = [:]

    var outFeatures: Int { weight.outFeatures }

    /// x (rows, in) -> (rows, out); `adapterRuns` says which adapter each run of rows uses.
    func callAsFunction(_ x: [Float], rows: Int, adapterRuns: [AdapterRun]) -> [Float] {
        var y = [Float](repeating: 0, count: rows * outFeatures)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                weight.apply(x.baseAddress!, rows: rows, into: y.baseAddress!)
                for run in adapterRuns {
                    guard let name = run.adapter, let lora = adapters[name] else { continue }
                    let first = x.baseAddress! + run.rows.lowerBound * weight.inFeatures
                    var low = [Float](repeating: 0, count: run.rows.count * lora.rank)
                    low.withUnsafeMutableBufferPointer { low in
                        lora.down.apply(first, rows: run.rows.count, into: low.baseAddress!)
                        for i in low.indices { low[i] *= lora.scale }
                        lora.up.apply(low.baseAddress!, rows: run.rows.count,
                                      into: y.baseAddress! + run.rows.lowerBound * outFeatures, accumulate: true)
                    }
                }
            }
        }
        return y
    }
}

/// Consecutive rows of a batch that share an adapter (nil: the base model).
struct AdapterRun: Sendable {
    let rows: Range<Int>
    let adapter: String?
}
