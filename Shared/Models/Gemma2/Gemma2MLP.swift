import Foundation
import IRGNumerics

/// GeGLU: down(gelu_tanh(gate(x)) * up(x)).
struct Gemma2MLP: Sendable {
    var gate: Projection, up: Projection, down: Projection

    func callAsFunction(_ x: [Float], batch: ForwardBatch) -> [Float] {
        Projection.apply([gate, up], to: x, rows: batch.rowCount, adapterRuns: batch.adapterRuns) { gateUp in
            let (h, linear) = (gateUp[0], gateUp[1])
            // tanhf is a quarter of a 128-token prefill when run on one thread.
            let chunk = 4096
            parallelRows((h.count + chunk - 1) / chunk) { c in
                for i in c * chunk ..< min(h.count, (c + 1) * chunk) { h[i] = geluTanh(h[i]) * linear[i] }
            }
            return down(UnsafeBufferPointer(h), rows: batch.rowCount, adapterRuns: batch.adapterRuns)
        }
    }
}

/// GELU, tanh approximation (PyTorch's approximate='tanh').
@inline(__always) func geluTanh(_ x: Float) -> Float {
    let beta: Float = 0.7978845608028654  // sqrt(2 / pi)
    return 0.5 * x * (1 + tanhf(beta * (x + 0.044715 * x * x * x)))
}
