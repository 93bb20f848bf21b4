import CIRGKernels
import Foundation
@testable import IRGModels
import Testing

/// The attention kernel (`irg_attend_group`) against the Swift path it
/// replaces: prompts (many rows) and decoding (one), full and sliding-window
/// layers, with and without the softcap; a group of heads sharing a
/// key-value head, as Gemma2's, gives each head what it gets alone.
@Suite struct AttentionGroupTests {
    struct Case: CustomStringConvertible {
        let rows: Int, firstPosition: Int, window: Int?, softcap: Float?
        var description: String { "rows \(rows) from \(firstPosition), window \(window.map(String.init) ?? "none"), softcap \(softcap.map { "\($0)" } ?? "none")" }
    }

    static let cases = [
        Case(rows: 37, firstPosition: 0, window: nil, softcap: 50),
        Case(rows: 1, firstPosition: 300, window: nil, softcap: 50),
        Case(rows: 5, firstPosition: 120, window: 64, softcap: 50),
        Case(rows: 1, firstPosition: 90, window: 16, softcap: nil),
        Case(rows: 12, firstPosition: 3, window: nil, softcap: nil),
    ]

    @Test(arguments: cases) func kernelMatchesTheSwiftPath(_ c: Case) throws {
        try #require(irg_attention_available(256) != 0, "this CPU lacks AVX-512F: the Swift path runs alone")
        let (headDim, kvHeads, heads) = (256, 4, 8)
        let group = heads / kvHeads
        let positions = c.firstPosition + c.rows
        var generator = SystemRandomNumberGenerator()
        func random(_ count: Int, scale: Float) -> [Float] { (0..<count).map { _ in Float.random(in: -scale...scale, using: &generator) } }
        // Scores of a few units, as a layer's: large enough for the softcap and softmax to matter.
        let query = random(c.rows * heads * headDim, scale: 0.3), keys = random(positions * kvHeads * headDim, scale: 0.3)
        let values = random(positions * kvHeads * headDim, scale: 1)
        for kvHead in [0, 2] {
            /// Rows of every head of the group, `heads` of them at a time from `firstHead`.
            func run(vectorized: Bool, headsAtOnce: Int) -> [Float] {
                var out = [Float](repeating: .nan, count: c.rows * heads * headDim)
                query.withUnsafeBufferPointer { q in
                    keys.withUnsafeBufferPointer { k in
                        values.withUnsafeBufferPointer { v in
                            out.withUnsafeMutableBufferPointer { o in
                                for firstHead in stride(from: kvHead * group, to: (kvHead + 1) * group, by: headsAtOnce) {
                                    AttentionGroup(query: q.baseAddress! + firstHead * headDim, queryStride: heads * headDim,
                                                   output: o.baseAddress! + firstHead * headDim, outputStride: heads * headDim,
                                                   keys: k.baseAddress! + kvHead * headDim, values: v.baseAddress! + kvHead * headDim,
                                                   kvStride: kvHeads * headDim, headDim: headDim, heads: headsAtOnce, rows: c.rows,
                                                   firstPosition: c.firstPosition, window: c.window, scaling: 1 / 16,
                                                   softcap: c.softcap).run(vectorized: vectorized)
                                }
                            }
                        }
                    }
                }
                var rows: [Float] = []
                for r in 0..<c.rows {
                    let start = (r * heads + kvHead * group) * headDim
                    rows += out[start ..< start + group * headDim]
                }
                return rows
            }
            let (kernel, swift) = (run(vectorized: true, headsAtOnce: group), run(vectorized: false, headsAtOnce: group))
            let worst = zip(kernel, swift).map { abs($0 - $1) }.max()!
            // Sums in another order: float rounding of values of about 0.1 to 1 (1.2e-7 seen).
            #expect(worst <= 5e-7, "group \(kvHead): largest difference \(worst)")
            #expect(!kernel.contains { $0.isNaN }, "every row of every head of the group is written")
            #expect(run(vectorized: true, headsAtOnce: 1) == kernel, "a head alone gets what it gets in its group")
        }
    }
}
