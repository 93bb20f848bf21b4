/// One sequence's keys and values, per layer, rotated keys as attention reads
/// them: `positions` rows of kvHeads x headDim floats each.
public final class KVCache: @unchecked Sendable {
    public private(set) var positions = 0
    var keys: [[Float]]
    var values: [[Float]]
    let rowWidth: Int

    public init(layers: Int, keyValueHeads: Int, headDim: Int) {
        rowWidth = keyValueHeads * headDim
        keys = Array(repeating: [], count: layers)
        values = Array(repeating: [], count: layers)
    }

    /// Adds `rows` new positions to a layer (every layer gets the same rows in one forward pass).
    func append(layer: Int, keys newKeys: UnsafeBufferPointer<Float>, values newValues: UnsafeBufferPointer<Float>) {
        keys[layer].append(contentsOf: newKeys)
        values[layer].append(contentsOf: newValues)
    }

    /// Called once the forward pass has appended to every layer.
    func advance(by rows: Int) {
        positions += rows
        precondition(keys.allSatisfy { $0.count == positions * rowWidth }, "every layer holds every position")
    }

    /// Forgets everything after the first `count` positions (a shared prefix kept, the rest redone).
    public func truncate(to count: Int) {
        precondition(count <= positions)
        for l in keys.indices {
            keys[l].removeLast((positions - count) * rowWidth)
            values[l].removeLast((positions - count) * rowWidth)
        }
        positions = count
    }

    /// An independent copy (e.g. a beam branching).
    public func copy() -> KVCache { copy(keeping: positions) }

    /// An independent copy of the first `count` positions (a cached prefix handed to a new request).
    public func copy(keeping count: Int) -> KVCache {
        precondition(count <= positions)
        let c = KVCache(layers: keys.count, keyValueHeads: 1, headDim: rowWidth)
        c.keys = keys.map { Array($0.prefix(count * rowWidth)) }
        c.values = values.map { Array($0.prefix(count * rowWidth)) }
        c.positions = count
        return c
    }

    /// Bytes of keys and values held.
    public var bytes: Int { 2 * keys.count * positions * rowWidth * MemoryLayout<Float>.size }
}
