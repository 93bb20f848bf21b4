import Foundation

/// GeGLU: down(gelu_tanh(gate(x)) * up(x)).
struct Gemma2MLP: Sendable {
    var gate: Projection, up: Projection, down: Projection

    func callAsFunction(_ x: [Float], batch: ForwardBatch) -> [Float] {
        var hidden = gate(x, rows: batch.rowCount, adapterRuns: batch.adapterRuns)
        let linear = up(x, rows: batch.rowCount, adapterRuns: batch.adapterRuns)
        for i in hidden.indices { hidden[i] = geluTanh(hidden[i]) * linear[i] }
        return down(hidden, rows: batch.rowCount, adapterRuns: batch.adapterRuns)
    }
}

/// GELU, tanh approximation (PyTorch's approximate='tanh').
@inline(__always) func geluTanh(_ x: Float) -> Float {
    let beta: Float = 0.7978845608028654  // sqrt(2 / pi)
    return 0.5 * x * (1 + tanhf(beta * (x + 0.044715 * x * x * x)))
}
