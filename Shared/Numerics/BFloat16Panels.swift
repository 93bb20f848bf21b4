import CIRGKernels
import Foundation

/// BF16 weights in the layout irg_bf16_matmul reads: panels of
/// IRG_BF16_PANEL rows interleaved IRG_BF16_CHUNK inputs at a time
/// (irg_kernels.h), so the rows a tile reads together are one contiguous
/// stream. Packed once at load from the row-major (out, in) bytes a
/// checkpoint holds; a mapped file's pages are let go once packed, so the
/// process holds one copy of the weights.
public struct BFloat16Panels: @unchecked Sendable {
    let storage: AlignedBuffer<UInt16>
    public let rows: Int
    public let columns: Int

    /// Bytes applying the matrix reads (the padding included).
    public var byteCount: Int { storage.count * 2 }

    public init(rows: Int, columns: Int, rowMajor bytes: Data, threads: Int = ComputeThreads.count, chunkBytes: Int = 32 << 20) {
        precondition(bytes.count == rows * columns * 2, "bf16 matrix size")
        precondition(bytes.withUnsafeBytes { Int(bitPattern: $0.baseAddress) % 2 == 0 }, "bf16 weights must be 2-byte aligned")
        (self.rows, self.columns) = (rows, columns)
        storage = AlignedBuffer(count: irg_bf16_panel_elements(Int32(rows), Int32(columns)))
        MappedPages.packInChunks(bytes, rows: rows, panelRows: Int(IRG_BF16_PANEL), chunkBytes: chunkBytes) { chunk in
            bytes.withUnsafeBytes { raw in
                irg_bf16_pack(raw.baseAddress!.assumingMemoryBound(to: UInt16.self) + chunk.lowerBound * columns,
                              Int32(chunk.count), Int32(columns),
                              storage.pointer + irg_bf16_panel_elements(Int32(chunk.lowerBound), Int32(columns)), Int32(threads))
            }
        }
    }

    /// Rows first ..< first + count as float32 (bf16 widens exactly).
    public func floats(_ first: Int, _ count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count * columns)
        out.withUnsafeMutableBufferPointer { out in
            for r in 0..<count {
                irg_bf16_unpack_row(storage.pointer, Int32(columns), Int32(first + r), out.baseAddress! + r * columns)
            }
        }
        return out
    }

    /// The kernel's job for this product; its pointers are valid only inside `body`.
    func withJob<R>(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, outputs: Range<Int>,
                    accumulate: Bool, _ body: (irg_bf16_matmul_job) -> R) -> R {
        withExtendedLifetime(storage) {
            body(irg_bf16_matmul_job(
                input: x, rows: Int32(rows), in_features: Int32(columns), input_stride: Int32(columns),
                panels: storage.pointer, out_begin: Int32(outputs.lowerBound), out_end: Int32(outputs.upperBound),
                output: y, output_stride: Int32(outputs.count), accumulate: accumulate ? 1 : 0))
        }
    }
}
