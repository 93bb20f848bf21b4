import Foundation
import IRGNumerics

/// Gemma's RMSNorm, in float32: x * rsqrt(mean(x^2) + eps) * (1 + w).
struct Gemma2RMSNorm: Sendable {
    /// 1 + w, computed once.
    let gain: [Float]
    let eps: Float

    init(weight: [Float], eps: Float) {
        gain = weight.map { 1 + $0 }
        self.eps = eps
    }

    /// Each row of `x` normalized.
    func callAsFunction(_ x: [Float], rows: Int) -> [Float] {
        let n = gain.count
        var out = [Float](repeating: 0, count: rows * n)
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { out in
                for r in 0..<rows {
                    let row = x.baseAddress! + r * n
                    let sum = dot(row, row, count: n)
                    let scale = 1 / (sum / Float(n) + eps).squareRoot()
                    for i in 0..<n { out[r * n + i] = row[i] * scale * gain[i] }
                }
            }
        }
        return out
    }
}
