/// One sequence's keys and values, per layer, rotated keys as attention reads
/// them: `positions` rows of kvHeads x headDim floats each.
public final class KVCache: @unchecked Sendable {
    public private(set) var positions = 0
    private(set) var keys: [KVRows]
    private(set) var values: [KVRows]
    let rowWidth: Int

    public init(layers: Int, keyValueHeads: Int, headDim: Int) {
        rowWidth = keyValueHeads * headDim
        keys = Array(repeating: KVRows(width: rowWidth), count: layers)
        values = keys
    }

    private init(copying other: KVCache, keeping count: Int) {
        rowWidth = other.rowWidth
        keys = other.keys.map { KVRows(copying: $0, count: count) }
        values = other.values.map { KVRows(copying: $0, count: count) }
        positions = count
    }

    /// Adds `rows` new positions to a layer (every layer gets the same rows in one forward pass).
    func append(layer: Int, keys newKeys: UnsafeBufferPointer<Float>, values newValues: UnsafeBufferPointer<Float>) {
        keys[layer].append(newKeys)
        values[layer].append(newValues)
    }

    /// Called once the forward pass has appended to every layer.
    func advance(by rows: Int) {
        positions += rows
        precondition(keys.allSatisfy { $0.count == positions } && values.allSatisfy { $0.count == positions },
                     "every layer holds every position")
    }

    /// Forgets everything after the first `count` positions (a shared prefix kept, the rest redone).
    public func truncate(to count: Int) {
        precondition(count <= positions)
        for l in keys.indices {
            keys[l].truncate(to: count)
            values[l].truncate(to: count)
        }
        positions = count
    }

    /// An independent copy (e.g. a beam branching, a prefix cache entry).
    public func copy() -> KVCache { copy(keeping: positions) }

    /// An independent copy of the first `count` positions (a cached prefix handed to a new request).
    public func copy(keeping count: Int) -> KVCache {
        precondition(count <= positions)
        return KVCache(copying: self, keeping: count)
    }

    /// Bytes of storage held for keys and values (room for a power of two positions).
    public var bytes: Int { (keys + values).reduce(0) { $0 + $1.storageBytes } }
}
