import CIRGKernels
import Foundation
@testable import IRGModels
import Testing

/// The attention kernel (`irg_attend_head`) against the Swift path it
/// replaces: prompts (many rows) and decoding (one), full and sliding-window
/// layers, with and without the softcap, a shared key-value head.
@Suite struct AttentionHeadTests {
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
        let positions = c.firstPosition + c.rows
        var generator = SystemRandomNumberGenerator()
        func random(_ count: Int, scale: Float) -> [Float] { (0..<count).map { _ in Float.random(in: -scale...scale, using: &generator) } }
        // Scores of a few units, as a layer's: large enough for the softcap and softmax to matter.
        let query = random(c.rows * heads * headDim, scale: 0.3), keys = random(positions * kvHeads * headDim, scale: 0.3)
        let values = random(positions * kvHeads * headDim, scale: 1)
        for head in [0, 5] {
            let kvHead = head / (heads / kvHeads)
            func run(vectorized: Bool) -> [Float] {
                var out = [Float](repeating: .nan, count: c.rows * heads * headDim)
                query.withUnsafeBufferPointer { q in
                    keys.withUnsafeBufferPointer { k in
                        values.withUnsafeBufferPointer { v in
                            out.withUnsafeMutableBufferPointer { o in
                                AttentionHead(query: q.baseAddress! + head * headDim, queryStride: heads * headDim,
                                              output: o.baseAddress! + head * headDim, outputStride: heads * headDim,
                                              keys: k.baseAddress! + kvHead * headDim, values: v.baseAddress! + kvHead * headDim,
                                              kvStride: kvHeads * headDim, headDim: headDim, rows: c.rows,
                                              firstPosition: c.firstPosition, window: c.window, scaling: 1 / 16,
                                              softcap: c.softcap).run(vectorized: vectorized)
                            }
                        }
                    }
                }
                var rows: [Float] = []
                for r in 0..<c.rows {
                    let start = (r * heads + head) * headDim
                    rows += out[start ..< start + headDim]
                }
                return rows
            }
            let (kernel, swift) = (run(vectorized: true), run(vectorized: false))
            let worst = zip(kernel, swift).map { abs($0 - $1) }.max()!
            // Sums in another order: float rounding of values of about 0.1 to 1 (1.2e-7 seen).
            #expect(worst <= 5e-7, "head \(head): largest difference \(worst)")
            #expect(!kernel.contains { $0.isNaN }, "every row of the head is written")
        }
    }
}
