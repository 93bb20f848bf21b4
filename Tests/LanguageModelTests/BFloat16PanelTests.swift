import Foundation
@testable import IRGNumerics
import Testing

/// The bf16 kernel on packed panels against float32 sgemm on the same
/// (widened) weights, with shapes that leave partial panels (rows not a
/// multiple of 4), a partial last chunk of inputs (not a multiple of 32, and
/// a tail shorter than 16), and output ranges that start and end inside a
/// panel, as the motion-token rows of Gemma2's output layer do.
@Suite struct BFloat16PanelTests {
    /// Tails of 13, 4 and 28 inputs (the last one past a first half of 16).
    static let shapes = [(out: 7, in: 45), (out: 37, in: 100), (out: 70, in: 64), (out: 130, in: 13), (out: 9, in: 60)]

    static func matrices(out: Int, in columns: Int) -> (bf16: WeightMatrix, float32: WeightMatrix) {
        let bf16 = FusedProductTests.bfloat16Matrix(out: out, in: columns, seed: UInt64(out * 1000 + columns))
        return (bf16, WeightMatrix(outFeatures: out, inFeatures: columns, floats: bf16.floats()))
    }

    @Test(arguments: Self.shapes)
    func packedRowsReadBackExactly(shape: (out: Int, in: Int)) {
        let rowMajor = FusedProductTests.bfloat16Values(out: shape.out, in: shape.in, seed: 5)
        let matrix = WeightMatrix(outFeatures: shape.out, inFeatures: shape.in,
                                  mapped: rowMajor.withUnsafeBytes { Data($0) }, format: .bfloat16)
        #expect(matrix.floats() == rowMajor.map { Float(bitPattern: UInt32($0) << 16) })
        #expect(matrix.row(shape.out - 1) == rowMajor.suffix(shape.in).map { Float(bitPattern: UInt32($0) << 16) })
    }

    /// Packing a few rows at a time (as a large matrix is, letting go of the
    /// file's pages as it goes) gives the panels packing at once gives.
    @Test func packingInChunksGivesTheSamePanels() {
        let rowMajor = FusedProductTests.bfloat16Values(out: 130, in: 45, seed: 8).withUnsafeBytes { Data($0) }
        let whole = BFloat16Panels(rows: 130, columns: 45, rowMajor: rowMajor)
        let chunked = BFloat16Panels(rows: 130, columns: 45, rowMajor: rowMajor, chunkBytes: 500)  // 4 rows a chunk
        #expect(memcmp(whole.storage.pointer, chunked.storage.pointer, whole.byteCount) == 0)

        let q = WeightMatrix(outFeatures: 130, inFeatures: 64, floats: Int8WeightTests.randomMatrix(rows: 130, columns: 64, seed: 2))
            .int8Rows()
        let (int8Whole, int8Chunked) = (Int8Panels(q), Int8Panels(q, chunkBytes: 1000))  // 16 rows a chunk
        #expect(memcmp(int8Whole.panels.pointer, int8Chunked.panels.pointer, int8Whole.panels.count) == 0)
        #expect(int8Whole.scales == int8Chunked.scales)
    }

    @Test(arguments: Self.shapes, [1, 3, 6])
    func kernelMatchesSgemm(shape: (out: Int, in: Int), rows: Int) {
        let (bf16, float32) = Self.matrices(out: shape.out, in: shape.in)
        let x = Int8WeightTests.randomMatrix(rows: rows, columns: shape.in, seed: 11)
        for outputs in [0..<shape.out, 1..<shape.out - 1, shape.out / 2 ..< shape.out] {
            for accumulate in [false, true] {
                let start = Int8WeightTests.randomMatrix(rows: rows, columns: outputs.count, seed: 3)
                var (ours, reference) = (start, start)
                bf16.apply(x, rows: rows, into: &ours, outputs: outputs, accumulate: accumulate, threads: 2)
                float32.apply(x, rows: rows, into: &reference, outputs: outputs, accumulate: accumulate, threads: 2)
                let error = zip(ours, reference).map { abs($0 - $1) / max(1, abs($1)) }.max()!
                #expect(error < 1e-5, "\(shape) rows \(rows) outputs \(outputs) accumulate \(accumulate): \(error)")
            }
        }
    }
}
