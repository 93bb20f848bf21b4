import IRGNumerics
import Testing

/// Gemma2's elementwise tanh pieces, 16 lanes at a time against libm
/// (`vectorized: false`), over lengths that leave a partial last vector.
@Suite struct ActivationTests {
    static func values(_ count: Int) -> [Float] {
        (0..<count).map { Float($0 - count / 2) * 0.037 + Float($0 % 5) * 0.001 }
    }

    @Test(arguments: [1, 16, 37, 1000])
    func softcapMatchesLibm(count: Int) {
        for cap: Float in [30, 50] {
            var (fast, slow) = (Self.values(count).map { $0 * 40 }, Self.values(count).map { $0 * 40 })
            fast.withUnsafeMutableBufferPointer { softcap($0, cap: cap) }
            slow.withUnsafeMutableBufferPointer { softcap($0, cap: cap, vectorized: false) }
            let error = zip(fast, slow).map { abs($0 - $1) }.max()!
            #expect(error <= 3e-7 * cap, "cap \(cap): \(error)")
        }
    }

    @Test(arguments: [1, 16, 37, 1000])
    func geluGateMatchesLibm(count: Int) {
        let linear = Self.values(count).reversed().map { $0 + 0.5 }
        var (fast, slow) = (Self.values(count), Self.values(count))
        linear.withUnsafeBufferPointer { l in
            fast.withUnsafeMutableBufferPointer { geluGate($0, l) }
            slow.withUnsafeMutableBufferPointer { geluGate($0, l, vectorized: false) }
        }
        for (i, (f, s)) in zip(fast, slow).enumerated() {
            #expect(abs(f - s) <= 1e-6 * max(1, abs(Self.values(count)[i] * linear[i])), "at \(i): \(f) against \(s)")
        }
    }

    /// A row of logits spread as a model's (tens of units): the normalizer
    /// of its softmax, as a log-probability would use it.
    @Test(arguments: [1, 16, 37, 256_000])
    func logSumExpMatchesLibm(count: Int) {
        let row = Self.values(count).map { $0 * 10 }
        let (fast, slow) = row.withUnsafeBufferPointer { (logSumExp($0), logSumExp($0, vectorized: false)) }
        #expect(abs(fast - slow) <= 1e-6, "\(fast) against \(slow)")
    }
}
