import Foundation
import IRGNumerics

/// GeGLU: down(gelu_tanh(gate(x)) * up(x)).
struct Gemma2MLP: Sendable {
    var gate: Projection, up: Projection, down: Projection

    func callAsFunction(_ x: [Float], batch: ForwardBatch) -> [Float] {
        var hidden = gate(x, rows: batch.rowCount, adapterRuns: batch.adapterRuns)
        let linear = up(x, rows: batch.rowCount, adapterRuns: batch.adapterRuns)
        // tanhf is a quarter of a 128-token prefill when run on one thread.
        let chunk = 4096
        hidden.withUnsafeMutableBufferPointer { h in
            linear.withUnsafeBufferPointer { l in
                parallelRows((h.count + chunk - 1) / chunk) { c in
                    for i in c * chunk ..< min(h.count, (c + 1) * chunk) { h[i] = geluTanh(h[i]) * l[i] }
                }
            }
        }
        return down(hidden, rows: batch.rowCount, adapterRuns: batch.adapterRuns)
    }
}

/// GELU, tanh approximation (PyTorch's approximate='tanh').
@inline(__always) func geluTanh(_ x: Float) -> Float {
    let beta: Float = 0.7978845608028654  // sqrt(2 / pi)
    return 0.5 * x * (1 + tanhf(beta * (x + 0.044715 * x * x * x)))
}
