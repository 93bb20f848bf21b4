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

        let stored = cache.storedCopy(), branch = cache.copy(keeping: 300)
        cache.truncate(to: 200)
        Self.append(cache, positions: 200..<210, width: width)
        #expect(cache.positions == 210 && Self.holdsItsRows(cache, width: width))
        #expect(stored.positions == 600 && Self.holdsItsRows(stored, width: width), "a stored copy is its own")
        Self.append(branch, positions: 300..<301, width: width)
        #expect(branch.positions == 301 && Self.holdsItsRows(branch, width: width), "a copy goes on from its rows")
        #expect(stored.bytes == 2 * 2 * 600 * width * 4)
    }
}
