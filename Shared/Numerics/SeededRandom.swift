/// SplitMix64: small, fast, and the same on every machine.
public struct SeededRandom {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return splitMixFinalize(state)
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var items = items
        for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, Int(next() % UInt64(i + 1))) }
        return items
    }
}

/// The k-th SplitMix64 output of a stream seeded with `seed`, without
/// running the stream: lets weights be generated in any order (and by
/// NumPy, vectorised) with identical values.
public func splitMix64(seed: UInt64, index: UInt64) -> UInt64 {
    splitMixFinalize(seed &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15)
}

/// SplitMix64's output function.
private func splitMixFinalize(_ state: UInt64) -> UInt64 {
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// FNV-1a 64 of bytes: stable across processes and machines.
public func fnv1a<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
    bytes.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
}

/// FNV-1a of text (Swift's Hasher is seeded per process).
public func stableHash(_ text: String) -> UInt64 { fnv1a(text.utf8) }
