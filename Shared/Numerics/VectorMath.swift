import CIRGKernels
import Foundation

/// Dot products for the short vectors of attention and norms. A plain
/// `sum += a[i] * b[i]` loop keeps Swift's strict left-to-right order, so
/// every add waits for the one before it (a 256-long head dot product took
/// about 1,000 cycles); four 16-wide partial sums let them overlap.
@inline(__always)
public func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    let (ra, rb) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
    var partial = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var i = 0
    while i + 64 <= count {
        partial.0 += ra.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
        partial.1 += ra.loadUnaligned(fromByteOffset: 4 * (i + 16), as: SIMD16<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 * (i + 16), as: SIMD16<Float>.self)
        partial.2 += ra.loadUnaligned(fromByteOffset: 4 * (i + 32), as: SIMD16<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 * (i + 32), as: SIMD16<Float>.self)
        partial.3 += ra.loadUnaligned(fromByteOffset: 4 * (i + 48), as: SIMD16<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 * (i + 48), as: SIMD16<Float>.self)
        i += 64
    }
    while i + 16 <= count {
        partial.0 += ra.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
        i += 16
    }
    var sum = ((partial.0 + partial.1) + (partial.2 + partial.3)).sum()
    while i < count {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}

/// y[i] += scale * x[i].
@inline(__always)
public func addScaled(_ x: UnsafePointer<Float>, scale: Float, into y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { y[i] += scale * x[i] }
}

/// x = cap * tanh(x / cap) in place (Gemma2's softcaps), 16 lanes at a time
/// where AVX-512 allows (irg_softcap: absolute error ~1e-7 times cap).
public func softcap(_ x: UnsafeMutableBufferPointer<Float>, cap: Float, vectorized: Bool = true) {
    guard let base = x.baseAddress else { return }
    irg_softcap(base, x.count, cap, vectorized ? 1 : 0)
}

/// log(sum(exp(x))) in double: the largest value plus the log of the
/// others' exponentials relative to it, 16 lanes at a time where AVX-512
/// allows (irg_sum_exp: relative error about 2e-7 in the sum).
public func logSumExp(_ x: UnsafeBufferPointer<Float>, vectorized: Bool = true) -> Double {
    guard let base = x.baseAddress, let largest = x.max() else { return -.infinity }
    return Double(largest) + log(irg_sum_exp(base, x.count, largest, vectorized ? 1 : 0))
}

/// gate = gelu_tanh(gate) * linear in place (GeGLU), with the same 16-lane
/// tanh as `softcap` where AVX-512 allows.
public func geluGate(_ gate: UnsafeMutableBufferPointer<Float>, _ linear: UnsafeBufferPointer<Float>, vectorized: Bool = true) {
    precondition(gate.count == linear.count, "gate and linear differ in length")
    guard let base = gate.baseAddress, let other = linear.baseAddress else { return }
    irg_gelu_gate(base, other, gate.count, vectorized ? 1 : 0)
}
