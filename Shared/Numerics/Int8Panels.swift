import CIRGKernels
import Foundation

/// Int8 weights in the layout irg_int8_matmul reads: panels of 16 rows
/// interleaved four inputs at a time, so one 64-byte load feeds one VNNI
/// multiply-add over 16 rows (irg_kernels.h). Packed once at load from
/// `Int8Rows`, the row-major form files and quantization use.
public struct Int8Panels: @unchecked Sendable {
    let panels: AlignedBuffer<UInt8>
    let scales: [Float]
    public let rows: Int
    public let columns: Int
    public let groupSize: Int

    /// Bytes applying the matrix reads.
    public var byteCount: Int { panels.count + 4 * scales.count }

    public init(_ q: Int8Rows, chunkBytes: Int = 32 << 20) {
        precondition(q.columns % 4 == 0 && q.groupSize % 4 == 0 && q.columns % q.groupSize == 0,
                     "int8 panels need inputs and groups in multiples of 4")
        (rows, columns, groupSize) = (q.rows, q.columns, q.groupSize)
        let panels = AlignedBuffer<UInt8>(count: irg_int8_panel_bytes(Int32(q.rows), Int32(q.columns)))
        var scales = [Float](repeating: 0, count: irg_int8_panel_scale_count(Int32(q.rows), Int32(q.columns), Int32(q.groupSize)))
        let (inputs, group) = (Int32(q.columns), Int32(q.groupSize))
        MappedPages.packInChunks(q.values, rows: q.rows, panelRows: Int(IRG_INT8_PANEL), chunkBytes: chunkBytes) { chunk in
            let first = Int32(chunk.lowerBound)
            q.values.withUnsafeBytes { values in
                q.scales.withUnsafeBufferPointer { rowScales in
                    scales.withUnsafeMutableBufferPointer { panelScales in
                        irg_int8_pack(values.baseAddress!.assumingMemoryBound(to: Int8.self) + chunk.lowerBound * q.columns,
                                      rowScales.baseAddress! + chunk.lowerBound * q.groups, Int32(chunk.count), inputs, group,
                                      panels.pointer + irg_int8_panel_bytes(first, inputs),
                                      panelScales.baseAddress! + irg_int8_panel_scale_count(first, inputs, group))
                    }
                }
            }
        }
        (self.panels, self.scales) = (panels, scales)
    }

    /// Rows first ..< first + count, dequantized.
    public func floats(_ first: Int, _ count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count * columns)
        out.withUnsafeMutableBufferPointer { out in
            for r in 0..<count {
                irg_int8_unpack_row(panels.pointer, scales, Int32(columns), Int32(groupSize), Int32(first + r),
                                    out.baseAddress! + r * columns)
            }
        }
        return out
    }

    /// y (+)= x W^T over the weight rows `outputs`, x quantized per group
    /// (irg_int8_matmul); CPUs without AVX-512 VNNI take `reference`.
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, outputs: Range<Int>,
               accumulate: Bool, threads: Int) {
        guard Self.kernelAvailable else {
            return reference(x, rows: rows, into: y, outputs: outputs, accumulate: accumulate)
        }
        withJob(x, rows: rows, into: y, outputs: outputs, accumulate: accumulate) { job in
            withUnsafePointer(to: job) { irg_int8_matmul($0, Int32(threads)) }
        }
    }

    /// The kernel's job for this product; its pointers are valid only inside `body`.
    func withJob<R>(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, outputs: Range<Int>,
                    accumulate: Bool, _ body: (irg_int8_matmul_job) -> R) -> R {
        withExtendedLifetime(panels) {
            scales.withUnsafeBufferPointer { scales in
                body(irg_int8_matmul_job(
                    input: x, rows: Int32(rows), in_features: Int32(columns), input_stride: Int32(columns),
                    panels: panels.pointer, panel_scales: scales.baseAddress, group_size: Int32(groupSize),
                    out_begin: Int32(outputs.lowerBound), out_end: Int32(outputs.upperBound),
                    output: y, output_stride: Int32(outputs.count), accumulate: accumulate ? 1 : 0))
            }
        }
    }

    static let kernelAvailable = irg_int8_available() != 0

    /// The kernel's arithmetic written out: per group, the int8 dot product
    /// of quantized x and q, exact, times both scales, summed in float.
    func reference(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, outputs: Range<Int>,
                   accumulate: Bool) {
        let groups = columns / groupSize
        var xq = [Int8](repeating: 0, count: columns)
        var xScale = [Float](repeating: 0, count: groups)
        var xSum = [Int32](repeating: 0, count: groups)
        for r in 0..<rows {
            irg_int8_quantize_input(x + r * columns, Int32(columns), Int32(groupSize), &xq, &xScale, &xSum, 0)
            for o in outputs {
                let (panel, lane) = o.quotientAndRemainder(dividingBy: Int(IRG_INT8_PANEL))
                let base = panel * columns * Int(IRG_INT8_PANEL)
                var sum: Float = 0
                for g in 0..<groups {
                    var dot: Int32 = 0
                    for k in g * groupSize ..< (g + 1) * groupSize {
                        let stored = panels.pointer[base + (k / 4) * 4 * Int(IRG_INT8_PANEL) + lane * 4 + k % 4]
                        dot += Int32(xq[k]) * (Int32(stored) - 128)
                    }
                    sum += Float(dot) * (scales[(panel * groups + g) * Int(IRG_INT8_PANEL) + lane] * xScale[g])
                }
                let out = y + r * outputs.count + (o - outputs.lowerBound)
                out.pointee = (accumulate ? out.pointee : 0) + sum
            }
        }
    }
}
