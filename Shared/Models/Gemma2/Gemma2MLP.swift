import IRGNumerics

/// GeGLU: down(gelu_tanh(gate(x)) * up(x)).
struct Gemma2MLP: Sendable {
    var gate: Projection, up: Projection, down: Projection

    func callAsFunction(_ x: [Float], batch: ForwardBatch) -> [Float] {
        Projection.apply([gate, up], to: x, rows: batch.rowCount, adapterRuns: batch.adapterRuns) { gateUp in
            let (h, linear) = (gateUp[0], gateUp[1])
            let chunk = 4096
            parallelRows((h.count + chunk - 1) / chunk) { c in
                let part = c * chunk ..< min(h.count, (c + 1) * chunk)
                geluGate(UnsafeMutableBufferPointer(rebasing: h[part]), UnsafeBufferPointer(rebasing: linear[part]))
            }
            return down(UnsafeBufferPointer(h), rows: batch.rowCount, adapterRuns: batch.adapterRuns)
        }
    }
}
