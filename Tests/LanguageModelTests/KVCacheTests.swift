@testable import IRGModels
import Testing

/// The cache's rows through growth (past a huge page of wide rows),
/// truncation and copies: every row reads back as written.
@Suite struct KVCacheTests {
    /// Row `position` of layer `layer`: its floats say where they belong.
    static func row(_ position: Int, layer: Int, width: Int, value: Bool) -> [Float] {
        (0..<width).map { Float(position * 10_000 + layer * 100 + $0 % 100) + (value ? 0.5 : 0) }
    }

    static func append(_ cache: KVCache, positions: Range<Int>, width: Int) {
        for layer in 0..<2 {
            let keys = positions.flatMap { row($0, layer: layer, width: width, value: false) }
            let values = positions.flatMap { row($0, layer: layer, width: width, value: true) }
            keys.withUnsafeBufferPointer { k in values.withUnsafeBufferPointer { v in cache.append(layer: layer, keys: k, values: v) } }
        }
        cache.advance(by: positions.count)
    }

    static func holdsItsRows(_ cache: KVCache, width: Int) -> Bool {
        (0..<2).allSatisfy { layer in
            (0..<cache.positions).allSatisfy { p in
                Array(UnsafeBufferPointer(start: cache.keys[layer].pointer + p * width, count: width)) == row(p, layer: layer, width: width, value: false)
                    && Array(UnsafeBufferPointer(start: cache.values[layer].pointer + p * width, count: width)) == row(p, layer: layer, width: width, value: true)
            }
        }
    }

    @Test(arguments: [8, 1024]) func rowsSurviveGrowthTruncationAndCopies(width: Int) {
        let cache = KVCache(layers: 2, keyValueHeads: 1, headDim: width)
        Self.append(cache, positions: 0..<5, width: width)  // a prompt
        for p in 5..<600 { Self.append(cache, positions: p..<p + 1, width: width) }  // decoding, past 512 rows of 4 KB
        #expect(cache.positions == 600 && Self.holdsItsRows(cache, width: width))

        let stored = cache.copy(), branch = cache.copy(keeping: 300)
        cache.truncate(to: 200)
        Self.append(cache, positions: 200..<210, width: width)
        #expect(cache.positions == 210 && Self.holdsItsRows(cache, width: width))
        #expect(stored.positions == 600 && Self.holdsItsRows(stored, width: width), "a copy is its own")
        Self.append(branch, positions: 300..<301, width: width)
        #expect(branch.positions == 301 && Self.holdsItsRows(branch, width: width), "a copy goes on from its rows")
        let storageRows = 1024  // the power of two at or above 600
        #expect(stored.bytes == 2 * 2 * storageRows * width * MemoryLayout<Float>.stride)
    }
}

/// Storage for cached keys and values goes back to its pool and is taken
/// again, up to the pool's limit.
@Suite struct KVStoragePoolTests {
    @Test func storageIsRecycledUpToTheLimit() {
        let pool = KVStoragePool(retainedLimit: 3 * KVStoragePool.smallestPooledBytes)
        let count = KVStoragePool.smallestPooledBytes / MemoryLayout<Float>.stride
        let first = pool.take(count), second = pool.take(count)
        first[count - 1] = 7
        pool.giveBack(first, count: count)
        #expect(pool.retainedBytes == KVStoragePool.smallestPooledBytes)
        let again = pool.take(count)
        #expect(again == first && again[count - 1] == 7, "the same memory, as it was left")
        #expect(pool.retainedBytes == 0)
        let big = pool.take(4 * count)
        pool.giveBack(big, count: 4 * count)
        #expect(pool.retainedBytes == 0, "over the limit: given back to the system")
        pool.giveBack(again, count: count)
        pool.giveBack(second, count: count)
        #expect(pool.retainedBytes == 2 * KVStoragePool.smallestPooledBytes)
    }
}
