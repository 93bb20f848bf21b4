import Foundation
import IRGNumerics

/// Grouped-query self-attention with RoPE, Gemma2's query_pre_attn_scalar
/// scaling, the optional tanh softcap on scores (applied before the mask) and
/// a sliding window on some layers (keys with kv > q - window are kept).
struct Gemma2Attention: Sendable {
    var query: Projection, key: Projection, value: Projection, output: Projection
    let heads: Int, keyValueHeads: Int, headDim: Int
    let scaling: Float
    let softcap: Float?
    /// nil on full-attention layers.
    let window: Int?

    func callAsFunction(_ x: [Float], batch: ForwardBatch, layer: Int) -> [Float] {
        let rows = batch.rowCount
        let mixed = Projection.apply([query, key, value], to: x, rows: rows, adapterRuns: batch.adapterRuns) { qkv in
            let (q, k, v) = (qkv[0], qkv[1], qkv[2])
            rotate(q, k, batch: batch)
            for sequence in batch.sequences {
                let span = sequence.rows.lowerBound * keyValueHeads * headDim ..< sequence.rows.upperBound * keyValueHeads * headDim
                sequence.cache.append(layer: layer, keys: UnsafeBufferPointer(rebasing: k[span]),
                                      values: UnsafeBufferPointer(rebasing: v[span]))
            }
            return attendAll(UnsafeBufferPointer(q), batch: batch, layer: layer)
        }
        return output(mixed, rows: rows, adapterRuns: batch.adapterRuns)
    }

    /// RoPE on every row's query and key heads, in place.
    private func rotate(_ q: UnsafeMutableBufferPointer<Float>, _ k: UnsafeMutableBufferPointer<Float>, batch: ForwardBatch) {
        for row in 0..<batch.rowCount {
            batch.rotations.apply(q.baseAddress! + row * heads * headDim, heads: heads, row: row)
            batch.rotations.apply(k.baseAddress! + row * keyValueHeads * headDim, heads: keyValueHeads, row: row)
        }
    }

    /// Every sequence's head groups in parallel (the query heads that share a
    /// key-value head), each row against its cached keys: (rows, heads * headDim).
    private func attendAll(_ q: UnsafeBufferPointer<Float>, batch: ForwardBatch, layer: Int) -> [Float] {
        var mixed = [Float](repeating: 0, count: batch.rowCount * heads * headDim)
        let work = batch.sequences.flatMap { s in (0..<keyValueHeads).map { (s, $0) } }
        mixed.withUnsafeMutableBufferPointer { mixed in
            nonisolated(unsafe) let out = mixed.baseAddress!
            nonisolated(unsafe) let q = q.baseAddress!
            parallelRows(work.count) { w in
                let (sequence, kvHead) = work[w]
                attend(q, out, sequence: sequence, kvHead: kvHead, layer: layer)
            }
        }
        return mixed
    }

    /// One head group of one sequence: each new row attends to the cached keys up to its own position.
    private func attend(_ q: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, sequence: ForwardBatch.Sequence,
                        kvHead: Int, layer: Int) {
        let group = heads / keyValueHeads
        let (qWidth, kvWidth) = (heads * headDim, keyValueHeads * headDim)
        let firstHead = kvHead * group
        let (keys, values) = (sequence.cache.keys[layer].pointer, sequence.cache.values[layer].pointer)
        let first = sequence.rows.lowerBound
        AttentionGroup(query: q + first * qWidth + firstHead * headDim, queryStride: qWidth,
                       output: out + first * qWidth + firstHead * headDim, outputStride: qWidth,
                       keys: keys + kvHead * headDim, values: values + kvHead * headDim,
                       kvStride: kvWidth, headDim: headDim, heads: group, rows: sequence.rows.count,
                       firstPosition: sequence.firstPosition, window: window, scaling: scaling, softcap: softcap).run()
    }
}
