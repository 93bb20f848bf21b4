import Foundation
@testable import IRGNumerics
import Testing

/// `WeightMatrix.apply(_:to:)`, several matrices on one input in one
/// parallel pass, gives what applying each alone gives, bit for bit: every
/// output is summed by the same tile, whichever worker takes it.
@Suite struct FusedProductTests {
    /// Gemma2's q, k and v in miniature: outputs not a multiple of the
    /// kernels' blocks (64 rows) or panels (16), so the workers' runs cross
    /// from one matrix into the next mid-matrix.
    static let shapes = [(out: 150, in: 128), (out: 37, in: 128), (out: 70, in: 128)]

    /// Random weights as bf16 bit patterns, row-major.
    static func bfloat16Values(out: Int, in columns: Int, seed: UInt64) -> [UInt16] {
        Int8WeightTests.randomMatrix(rows: out, columns: columns, seed: seed).map { UInt16($0.bitPattern >> 16) }
    }

    static func bfloat16Matrix(out: Int, in columns: Int, seed: UInt64) -> WeightMatrix {
        let bytes = bfloat16Values(out: out, in: columns, seed: seed).withUnsafeBytes { Data($0) }
        return WeightMatrix(outFeatures: out, inFeatures: columns, mapped: bytes, format: .bfloat16)
    }

    static func separateAndFused(_ matrices: [WeightMatrix], rows: Int) -> ([[Float]], [[Float]]) {
        let x = Int8WeightTests.randomMatrix(rows: rows, columns: matrices[0].inFeatures, seed: 99)
        var separate = matrices.map { [Float](repeating: .nan, count: rows * $0.outFeatures) }
        var fused = separate
        for i in matrices.indices { matrices[i].apply(x, rows: rows, into: &separate[i], threads: 2) }
        let outputs = fused.indices.map { UnsafeMutablePointer<Float>.allocate(capacity: fused[$0].count) }
        defer { outputs.forEach { $0.deallocate() } }
        WeightMatrix.apply(matrices, to: x, rows: rows, into: outputs, threads: 2)
        for i in fused.indices { fused[i] = Array(UnsafeBufferPointer(start: outputs[i], count: fused[i].count)) }
        return (separate, fused)
    }

    @Test(arguments: [1, 4, 9])
    func bfloat16MatricesFuse(rows: Int) {
        let matrices = Self.shapes.enumerated().map { Self.bfloat16Matrix(out: $1.out, in: $1.in, seed: UInt64($0)) }
        let (separate, fused) = Self.separateAndFused(matrices, rows: rows)
        #expect(fused == separate)
    }

    /// 9 rows: the activations are quantized on both threads.
    @Test(arguments: [1, 4, 9])
    func int8MatricesFuse(rows: Int) throws {
        try #require(Int8Panels.kernelAvailable, "this CPU has no AVX-512 VNNI; fused int8 runs one matrix at a time")
        let matrices = Self.shapes.enumerated().map { Self.bfloat16Matrix(out: $1.out, in: $1.in, seed: UInt64($0)).quantizedInt8() }
        let (separate, fused) = Self.separateAndFused(matrices, rows: rows)
        #expect(fused == separate)
    }

    /// Mixed storage falls back to one matrix at a time.
    @Test func mixedStorageRunsOneByOne() {
        let bf16 = Self.bfloat16Matrix(out: 40, in: 64, seed: 1)
        let owned = WeightMatrix(outFeatures: 24, inFeatures: 64, floats: bf16.floats().prefix(24 * 64).map { $0 })
        let (separate, fused) = Self.separateAndFused([bf16, owned], rows: 3)
        #expect(fused == separate)
    }
}
