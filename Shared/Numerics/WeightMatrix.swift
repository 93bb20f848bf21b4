import CIRGKernels
import COpenBLAS
import Foundation

/// A weight matrix in PyTorch's (out, in) layout, applied as y = x W^T with
/// float32 arithmetic. BF16 and F32 weights stay in the memory-mapped file;
/// BF16 is widened in registers by our kernel (OpenBLAS has no bf16 GEMM),
/// F32 goes to sgemm; F16 is widened once at load.
public struct WeightMatrix: @unchecked Sendable {
    public enum Storage {
        case float32(Data)
        case bfloat16(Data)
        case owned([Float])
    }

    public let outFeatures: Int
    public let inFeatures: Int
    public let storage: Storage

    /// Bytes the matrix occupies (what applying it reads).
    public var byteCount: Int {
        switch storage {
        case .bfloat16: return outFeatures * inFeatures * 2
        default: return outFeatures * inFeatures * 4
        }
    }

    public init(outFeatures: Int, inFeatures: Int, floats: [Float]) {
        precondition(floats.count == outFeatures * inFeatures, "weight matrix size")
        (self.outFeatures, self.inFeatures, storage) = (outFeatures, inFeatures, .owned(floats))
    }

    /// `bytes` of dtype "F32", "BF16" or "F16" (little-endian), kept without copying where possible.
    public init(outFeatures: Int, inFeatures: Int, dtype: String, bytes: Data) throws {
        (self.outFeatures, self.inFeatures) = (outFeatures, inFeatures)
        let count = outFeatures * inFeatures
        let aligned = bytes.withUnsafeBytes { Int(bitPattern: $0.baseAddress) % 4 == 0 }
        switch dtype {
        case "BF16" where bytes.count == count * 2 && aligned: storage = .bfloat16(bytes)
        case "F32" where bytes.count == count * 4 && aligned: storage = .float32(bytes)
        case "F32", "BF16", "F16":
            guard bytes.count == count * (dtype == "F32" ? 4 : 2) else { throw WeightMatrixError(description: "weight bytes do not match (\(outFeatures), \(inFeatures)) \(dtype)") }
            storage = .owned(Self.widened(bytes, dtype: dtype, count: count))
        default:
            throw WeightMatrixError(description: "weights of dtype \(dtype) are not supported (F32, BF16, F16)")
        }
    }

    private static func widened(_ bytes: Data, dtype: String, count: Int) -> [Float] {
        bytes.withUnsafeBytes { raw in
            (0..<count).map { i -> Float in
                switch dtype {
                case "F32": return raw.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)
                case "BF16": return Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
                default: return Float(Float16(bitPattern: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            }
        }
    }

    /// Row `index` (e.g. one token's embedding) as float32.
    public func row(_ index: Int) -> [Float] {
        precondition(index >= 0 && index < outFeatures, "row \(index) of \(outFeatures)")
        switch storage {
        case .owned(let w): return Array(w[index * inFeatures ..< (index + 1) * inFeatures])
        case .float32(let d), .bfloat16(let d):
            let dtype = if case .float32 = storage { "F32" } else { "BF16" }
            let size = dtype == "F32" ? 4 : 2
            return Self.widened(d[(d.startIndex + index * inFeatures * size)...].prefix(inFeatures * size), dtype: dtype, count: inFeatures)
        }
    }

    /// Every element as float32 (for merging adapters and tests).
    public func floats() -> [Float] {
        switch storage {
        case .owned(let w): return w
        case .float32(let d): return Self.widened(d, dtype: "F32", count: outFeatures * inFeatures)
        case .bfloat16(let d): return Self.widened(d, dtype: "BF16", count: outFeatures * inFeatures)
        }
    }

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
        case .bfloat16(let d):
            d.withUnsafeBytes { raw in
                var job = irg_bf16_matmul_job(
                    input: x, rows: Int32(rows), in_features: Int32(inFeatures), input_stride: Int32(inFeatures),
                    weight: raw.baseAddress!.assumingMemoryBound(to: UInt16.self), weight_stride: Int32(inFeatures),
                    out_begin: Int32(outputs.lowerBound), out_end: Int32(outputs.upperBound),
                    output: y, output_stride: Int32(outputs.count), accumulate: accumulate ? 1 : 0)
                irg_bf16_matmul(&job, Int32(threads))
            }
        }
    }

    private func sgemm(_ x: UnsafePointer<Float>, _ rows: Int, _ w: UnsafePointer<Float>, _ outputs: Range<Int>,
                       _ y: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs.count), Int32(inFeatures), 1,
                    x, Int32(inFeatures), w + outputs.lowerBound * inFeatures, Int32(inFeatures),
                    accumulate ? 1 : 0, y, Int32(outputs.count))
    }
}

public struct WeightMatrixError: Error, CustomStringConvertible {
    public let description: String
}
