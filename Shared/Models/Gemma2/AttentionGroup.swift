import CIRGKernels
import Foundation
import IRGNumerics

/// One sequence's query heads that share a key-value head (adjacent in the
/// query row, `headDim` apart): each new row against the cached keys up to
/// its own position (a sliding window keeps kv > position - window), scores
/// scaled, softcapped (tanh, before the mask) and softmaxed, then the values
/// weighted by them. The C kernel (`irg_attend_group`) runs it where AVX-512
/// allows, reading each cached row once for all the heads; the Swift path,
/// a head at a time, is the reference it is tested against.
struct AttentionGroup {
    /// `rows` query rows of `heads` heads of `headDim` floats, `queryStride` floats apart.
    let query: UnsafePointer<Float>, queryStride: Int
    /// Written: `rows` rows laid out as the query's.
    let output: UnsafeMutablePointer<Float>, outputStride: Int
    /// Cached positions of the group's key-value head, `kvStride` floats apart.
    let keys: UnsafePointer<Float>, values: UnsafePointer<Float>, kvStride: Int
    let headDim: Int, heads: Int, rows: Int, firstPosition: Int
    let window: Int?
    let scaling: Float, softcap: Float?

    func run(vectorized: Bool = true) {
        var scores = [Float](repeating: 0, count: heads * (firstPosition + rows))
        scores.withUnsafeMutableBufferPointer { scores in
            if vectorized && irg_attention_available(Int32(headDim)) != 0 {
                runKernel(scores: scores.baseAddress!)
            } else {
                for head in 0..<heads { runInSwift(head: head, scores: scores) }
            }
        }
    }

    private func runKernel(scores: UnsafeMutablePointer<Float>) {
        var job = irg_attention_group(
            query: query, query_stride: Int32(queryStride), output: output, output_stride: Int32(outputStride),
            keys: keys, values: values, kv_stride: Int32(kvStride), head_dim: Int32(headDim), heads: Int32(heads), rows: Int32(rows),
            first_position: Int32(firstPosition), window: Int32(window ?? 0), scaling: scaling, softcap: softcap ?? 0,
            scores: scores)
        irg_attend_group(&job)
    }

    private func runInSwift(head: Int, scores: UnsafeMutableBufferPointer<Float>) {
        for row in 0..<rows {
            let position = firstPosition + row
            let first = window.map { max(0, position - $0 + 1) } ?? 0
            let q = query + row * queryStride + head * headDim
            for j in first...position { scores[j] = dot(q, keys + j * kvStride, count: headDim) * scaling }
            // libm's tanhf here: the polynomial tanh's 1e-7 on scores, through softmax and the
            // layers, moves the fixtures' logits by 1.2e-4 (the final softcap's, by 5e-7).
            if let softcap { IRGNumerics.softcap(.init(rebasing: scores[first...position]), cap: softcap, vectorized: false) }
            let largest = scores[first...position].max()!
            var total: Float = 0
            for j in first...position {
                scores[j] = expf(scores[j] - largest)
                total += scores[j]
            }
            let result = output + row * outputStride + head * headDim
            result.update(repeating: 0, count: headDim)
            for j in first...position { addScaled(values + j * kvStride, scale: scores[j] / total, into: result, count: headDim) }
        }
    }
}
