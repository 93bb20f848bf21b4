import CIRGKernels
import COpenBLAS
import Foundation

/// A weight matrix in PyTorch's (out, in) layout, applied as y = x W^T with
/// float32 arithmetic. F32 weights can stay in the memory-mapped file and go
/// to sgemm; BF16 weights are packed once into panels that our kernel widens
/// in registers (OpenBLAS has no bf16 GEMM); other weights are handed over
/// as float32. Int8 rows with group scales (`quantizedInt8`) halve bf16's bytes.
public struct WeightMatrix: @unchecked Sendable {
    public enum Storage {
        case float32(Data)
        case bfloat16(BFloat16Panels)
        case owned([Float])
        case int8(Int8Panels)
    }

    public let outFeatures: Int
    public let inFeatures: Int
    public let storage: Storage

    /// Bytes the matrix occupies (what applying it reads).
    public var byteCount: Int {
        switch storage {
        case .bfloat16(let p): return p.byteCount
        case .int8(let q): return q.byteCount
        default: return outFeatures * inFeatures * 4
        }
    }

    public init(outFeatures: Int, inFeatures: Int, floats: [Float]) {
        precondition(floats.count == outFeatures * inFeatures, "weight matrix size")
        (self.outFeatures, self.inFeatures, storage) = (outFeatures, inFeatures, .owned(floats))
    }

    public enum MappedFormat { case float32, bfloat16 }

    /// Little-endian elements (e.g. a slice of a mapped file), 4-byte
    /// aligned: float32 ones are left where they are; bfloat16 ones are
    /// packed into panels and a mapped file's pages let go.
    public init(outFeatures: Int, inFeatures: Int, mapped bytes: Data, format: MappedFormat) {
        precondition(bytes.count == outFeatures * inFeatures * (format == .float32 ? 4 : 2), "weight matrix size")
        precondition(bytes.withUnsafeBytes { Int(bitPattern: $0.baseAddress) % 4 == 0 }, "mapped weights must be 4-byte aligned")
        (self.outFeatures, self.inFeatures) = (outFeatures, inFeatures)
        switch format {
        case .float32: storage = .float32(bytes)
        case .bfloat16: storage = .bfloat16(BFloat16Panels(rows: outFeatures, columns: inFeatures, rowMajor: bytes))
        }
    }

    /// Packed for the int8 kernel (a mapped file's pages are let go once packed).
    public init(int8 rows: Int8Rows) {
        (outFeatures, inFeatures, storage) = (rows.rows, rows.columns, .int8(Int8Panels(rows)))
    }

    /// The same matrix as int8 with a float32 scale per group of inputs
    /// (`Int8Rows.groupSize(columns:)`); an int8 matrix is returned as is.
    public func quantizedInt8() -> WeightMatrix {
        if case .int8 = storage { return self }
        return WeightMatrix(int8: int8Rows())
    }

    /// The rows quantized to int8 (row-major, as files hold them).
    public func int8Rows() -> Int8Rows {
        Int8Rows(rows: outFeatures, columns: inFeatures, groupSize: Int8Rows.groupSize(columns: inFeatures),
                 rowsSource: widenedRows)
    }

    /// Rows first ..< first + count as float32.
    private func widenedRows(_ first: Int, _ count: Int) -> [Float] {
        let elements = first * inFeatures ..< (first + count) * inFeatures
        switch storage {
        case .owned(let w): return Array(w[elements])
        case .int8(let q): return q.floats(first, count)
        case .float32(let d):
            return d.withUnsafeBytes { raw in elements.map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
        case .bfloat16(let p): return p.floats(first, count)
        }
    }

    /// Calls `body` on each region of memory applying the matrix reads (the
    /// packed panels and their scales, or the elements): what a benchmark
    /// streams to measure the bandwidth this matrix can be read at.
    public func forEachStoredRegion(_ body: (UnsafeRawBufferPointer) -> Void) {
        switch storage {
        case .owned(let w): w.withUnsafeBytes(body)
        case .float32(let d): d.withUnsafeBytes(body)
        case .bfloat16(let p): withExtendedLifetime(p.storage) { body(p.storage.bytes) }
        case .int8(let q):
            withExtendedLifetime(q.panels) { body(q.panels.bytes) }
            q.scales.withUnsafeBytes(body)
        }
    }

    /// Row `index` (e.g. one token's embedding) as float32.
    public func row(_ index: Int) -> [Float] {
        precondition(index >= 0 && index < outFeatures, "row \(index) of \(outFeatures)")
        return widenedRows(index, 1)
    }

    /// Every element as float32 (for merging adapters and tests).
    public func floats() -> [Float] { widenedRows(0, outFeatures) }

    /// y[r, o - outputs.lowerBound] = sum_k x[r, k] W[o, k] (+ y when
    /// `accumulate`), for the weight rows `outputs` (all by default).
    public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
                      outputs: Range<Int>? = nil, accumulate: Bool = false, threads: Int = ComputeThreads.count) {
        let outputs = outputs ?? 0..<outFeatures
        guard rows > 0, !outputs.isEmpty else { return }
        switch storage {
        case .owned(let w): w.withUnsafeBufferPointer { sgemm(x, rows, $0.baseAddress!, outputs, y, accumulate) }
        case .float32(let d):
            d.withUnsafeBytes { sgemm(x, rows, $0.baseAddress!.assumingMemoryBound(to: Float.self), outputs, y, accumulate) }
        case .bfloat16(let p):
            p.withJob(x, rows: rows, into: y, outputs: outputs, accumulate: accumulate) { job in
                withUnsafePointer(to: job) { irg_bf16_matmul($0, Int32(threads)) }
            }
        case .int8(let q):
            q.apply(x, rows: rows, into: y, outputs: outputs, accumulate: accumulate, threads: threads)
        }
    }

    private func sgemm(_ x: UnsafePointer<Float>, _ rows: Int, _ w: UnsafePointer<Float>, _ outputs: Range<Int>,
                       _ y: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs.count), Int32(inFeatures), 1,
                    x, Int32(inFeatures), w + outputs.lowerBound * inFeatures, Int32(inFeatures),
                    accumulate ? 1 : 0, y, Int32(outputs.count))
    }
}
