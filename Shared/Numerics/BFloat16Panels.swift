import CIRGKernels
import Foundation

/// BF16 weights in the layout irg_bf16_matmul reads: panels of
/// IRG_BF16_PANEL rows interleaved IRG_BF16_CHUNK inputs at a time
/// (irg_kernels.h), so the rows a tile reads together are one contiguous
/// stream. Packed once at load from the row-major (out, in) bytes a
/// checkpoint holds; a mapped file's pages are let go once packed, so the
/// process holds one copy of the weights.
public struct BFloat16Panels: @unchecked Sendable {
    private let storage: PanelStorage
    public let rows: Int
    public let columns: Int

    /// Bytes applying the matrix reads (the padding included).
    public var byteCount: Int { storage.count * 2 }

    public init(rows: Int, columns: Int, rowMajor bytes: Data, threads: Int = ComputeThreads.count) {
        precondition(bytes.count == rows * columns * 2, "bf16 matrix size")
        precondition(bytes.withUnsafeBytes { Int(bitPattern: $0.baseAddress) % 2 == 0 }, "bf16 weights must be 2-byte aligned")
        (self.rows, self.columns) = (rows, columns)
        storage = PanelStorage(count: irg_bf16_panel_elements(Int32(rows), Int32(columns)))
        bytes.withUnsafeBytes { raw in
            irg_bf16_pack(raw.baseAddress!.assumingMemoryBound(to: UInt16.self), Int32(rows), Int32(columns),
                          storage.elements, Int32(threads))
        }
        MappedPages.release(bytes)
    }

    /// Rows first ..< first + count as float32 (bf16 widens exactly).
    public func floats(_ first: Int, _ count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count * columns)
        out.withUnsafeMutableBufferPointer { out in
            for r in 0..<count {
                irg_bf16_unpack_row(storage.elements, Int32(columns), Int32(first + r), out.baseAddress! + r * columns)
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
                panels: storage.elements, out_begin: Int32(outputs.lowerBound), out_end: Int32(outputs.upperBound),
                output: y, output_stride: Int32(outputs.count), accumulate: accumulate ? 1 : 0))
        }
    }
}

/// The packed elements, freed with the last matrix that holds them. Large
/// buffers are 2 MB aligned and asked for transparent huge pages: a
/// gigabyte-sized model is then paged in in a few thousand faults, not a
/// million, and its stream crosses fewer TLB entries.
private final class PanelStorage {
    let elements: UnsafeMutablePointer<UInt16>
    let count: Int

    init(count: Int) {
        let bytes = max(count * 2, 64)
        let hugePage = 2 << 20
        let alignment = bytes >= hugePage ? hugePage : 64
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, alignment, (bytes + alignment - 1) / alignment * alignment) == 0, let raw else {
            fatalError("out of memory for \(bytes) bytes of bf16 weights")
        }
        if alignment == hugePage { madvise(raw, (bytes + alignment - 1) / alignment * alignment, MADV_HUGEPAGE) }
        (elements, self.count) = (raw.bindMemory(to: UInt16.self, capacity: max(count, 32)), count)
    }

    deinit { free(elements) }
}
