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
        var q = query(x, rows: rows, adapterRuns: batch.adapterRuns)
        var k = key(x, rows: rows, adapterRuns: batch.adapterRuns)
        let v = value(x, rows: rows, adapterRuns: batch.adapterRuns)
        let (qWidth, kvWidth) = (heads * headDim, keyValueHeads * headDim)
        q.withUnsafeMutableBufferPointer { q in
            k.withUnsafeMutableBufferPointer { k in
                for row in 0..<rows {
                    batch.rotations.apply(q.baseAddress! + row * qWidth, heads: heads, row: row)
                    batch.rotations.apply(k.baseAddress! + row * kvWidth, heads: keyValueHeads, row: row)
                }
            }
        }
        for sequence in batch.sequences {
            k.withUnsafeBufferPointer { k in
                v.withUnsafeBufferPointer { v in
                    let span = sequence.rows.lowerBound * kvWidth ..< sequence.rows.upperBound * kvWidth
                    sequence.cache.append(layer: layer, keys: UnsafeBufferPointer(rebasing: k[span]),
                                          values: UnsafeBufferPointer(rebasing: v[span]))
                }
            }
        }
        var mixed = [Float](repeating: 0, count: rows * qWidth)
        let work = batch.sequences.flatMap { s in (0..<heads).map { (s, $0) } }
        mixed.withUnsafeMutableBufferPointer { mixed in
            nonisolated(unsafe) let out = mixed.baseAddress!
            q.withUnsafeBufferPointer { q in
                nonisolated(unsafe) let q = q.baseAddress!
                parallelRows(work.count) { w in
                    let (sequence, head) = work[w]
                    attend(q, out, sequence: sequence, head: head, layer: layer)
                }
            }
        }
        return output(mixed, rows: rows, adapterRuns: batch.adapterRuns)
    }

    /// One head of one sequence: each new row attends to the cached keys up to its own position.
    private func attend(_ q: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, sequence: ForwardBatch.Sequence,
                        head: Int, layer: Int) {
        let kvHead = head / (heads / keyValueHeads)
        let (qWidth, kvWidth) = (heads * headDim, keyValueHeads * headDim)
        let keys = sequence.cache.keys[layer], values = sequence.cache.values[layer]
        var scores = [Float](repeating: 0, count: sequence.firstPosition + sequence.rows.count)
        keys.withUnsafeBufferPointer { keys in
            values.withUnsafeBufferPointer { values in
                for (i, row) in sequence.rows.enumerated() {
                    let position = sequence.firstPosition + i
                    let first = window.map { max(0, position - $0 + 1) } ?? 0
                    let query = q + row * qWidth + head * headDim
                    var largest = -Float.infinity
                    for j in first...position {
                        let key = keys.baseAddress! + j * kvWidth + kvHead * headDim
                        var s = dot(query, key, count: headDim) * scaling
                        if let cap = softcap { s = tanhf(s / cap) * cap }
                        scores[j] = s
                        largest = max(largest, s)
                    }
                    var total: Float = 0
                    for j in first...position {
                        scores[j] = expf(scores[j] - largest)
                        total += scores[j]
                    }
                    let result = out + row * qWidth + head * headDim
                    for j in first...position {
                        addScaled(values.baseAddress! + j * kvWidth + kvHead * headDim, scale: scores[j] / total,
                                  into: result, count: headDim)
                    }
                }
            }
        }
    }
}
