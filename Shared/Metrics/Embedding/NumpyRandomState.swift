/// NumPy's legacy `np.random.seed(s)` / `np.random.choice(n, k, replace=False)`
/// stream (MT19937), reproduced so that Diversity and MultiModality pick the
/// same index pairs as the reference scripts do for the same seed.
public struct NumpyRandomState {
    private var key = [UInt32](repeating: 0, count: 624)
    private var position = 624

    /// `np.random.seed(seed)` for a seed in 0 ..< 2^32 (MT19937's init_genrand).
    public init(seed: UInt32) {
        var value = seed
        for i in 0..<624 {
            key[i] = value
            value = 1_812_433_253 &* (value ^ (value >> 30)) &+ UInt32(i + 1)
        }
    }

    public mutating func nextUInt32() -> UInt32 {
        if position == 624 { regenerate() }
        var y = key[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        return y ^ (y >> 18)
    }

    /// `np.random.choice(count, size, replace=False)`: the first `size` entries
    /// of a Fisher-Yates permutation of 0..<count.
    public mutating func choiceWithoutReplacement(_ count: Int, size: Int) -> [Int] {
        precondition(size <= count, "cannot choose \(size) of \(count) without replacement")
        var items = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) { items.swapAt(i, interval(i)) }
        return Array(items.prefix(size))
    }

    /// A uniform integer in 0...max by masked rejection, as NumPy's random_interval.
    private mutating func interval(_ max: Int) -> Int {
        var mask = UInt32(max)
        for shift in [1, 2, 4, 8, 16] as [UInt32] { mask |= mask >> shift }
        while true {
            let value = nextUInt32() & mask
            if value <= UInt32(max) { return Int(value) }
        }
    }

    private mutating func regenerate() {
        for i in 0..<624 {
            let y = (key[i] & 0x8000_0000) | (key[(i + 1) % 624] & 0x7FFF_FFFF)
            key[i] = key[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1) == 1 ? 0x9908_B0DF : 0)
        }
        position = 0
    }
}
