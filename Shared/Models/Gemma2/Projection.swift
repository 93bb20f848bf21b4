import IRGNumerics

/// A bias-free linear layer (q, k, v, o, gate, up, down) with the LoRA
/// adapters that touch it, applied unmerged: y = x W^T + scale * (x A^T) B^T.
struct Projection: Sendable {
    let weight: WeightMatrix
    var adapters: [String: LoRAWeights] = [:]

    var outFeatures: Int { weight.outFeatures }

    /// x (rows, in) -> (rows, out); `adapterRuns` says which adapter each run of rows uses.
    func callAsFunction(_ x: [Float], rows: Int, adapterRuns: [AdapterRun]) -> [Float] {
        x.withUnsafeBufferPointer { self($0, rows: rows, adapterRuns: adapterRuns) }
    }

    func callAsFunction(_ x: UnsafeBufferPointer<Float>, rows: Int, adapterRuns: [AdapterRun]) -> [Float] {
        var y = [Float](repeating: 0, count: rows * outFeatures)
        y.withUnsafeMutableBufferPointer { y in
            weight.apply(x.baseAddress!, rows: rows, into: y.baseAddress!)
            addAdapters(x.baseAddress!, rows: rows, adapterRuns: adapterRuns, into: y.baseAddress!)
        }
        return y
    }

    /// Several projections of the same x (q, k and v; gate and up), handed
    /// to `body` as (rows, out) buffers that live until it returns: the base
    /// weights run in one parallel pass (`WeightMatrix.apply(_:to:)`), then
    /// each projection's adapters.
    static func apply<R>(_ projections: [Projection], to x: [Float], rows: Int, adapterRuns: [AdapterRun],
                         _ body: ([UnsafeMutableBufferPointer<Float>]) -> R) -> R {
        let outputs = projections.map { UnsafeMutableBufferPointer<Float>.allocate(capacity: rows * $0.outFeatures) }
        defer { outputs.forEach { $0.deallocate() } }
        x.withUnsafeBufferPointer { x in
            WeightMatrix.apply(projections.map(\.weight), to: x.baseAddress!, rows: rows, into: outputs.map { $0.baseAddress! })
            for (projection, y) in zip(projections, outputs) {
                projection.addAdapters(x.baseAddress!, rows: rows, adapterRuns: adapterRuns, into: y.baseAddress!)
            }
        }
        return body(outputs)
    }

    /// y += scale * (x A^T) B^T over each run of rows that has one of this projection's adapters.
    private func addAdapters(_ x: UnsafePointer<Float>, rows: Int, adapterRuns: [AdapterRun], into y: UnsafeMutablePointer<Float>) {
        for run in adapterRuns {
            guard let name = run.adapter, let lora = adapters[name] else { continue }
            var low = [Float](repeating: 0, count: run.rows.count * lora.rank)
            low.withUnsafeMutableBufferPointer { low in
                lora.down.apply(x + run.rows.lowerBound * weight.inFeatures, rows: run.rows.count, into: low.baseAddress!)
                for i in low.indices { low[i] *= lora.scale }
                lora.up.apply(low.baseAddress!, rows: run.rows.count, into: y + run.rows.lowerBound * outFeatures, accumulate: true)
            }
        }
    }
}

/// Consecutive rows of a batch that share an adapter (nil: the base model).
struct AdapterRun: Sendable {
    let rows: Range<Int>
    let adapter: String?
}
