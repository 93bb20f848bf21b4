import Foundation

/// A matrix's rows as int8 with a float32 scale per group of `groupSize`
/// consecutive elements of a row (symmetric: scale = max |w| / 127 of the
/// group, q = round(w / scale)). The values may be a slice of a mapped
/// file; the scales (1/16 of their bytes at groups of 64) are held as floats,
/// aligned for the kernel.
public struct Int8Rows: @unchecked Sendable {
    public let values: Data   // rows x columns int8
    public let scales: [Float]   // rows x groups
    public let rows: Int
    public let columns: Int
    public let groupSize: Int

    public var groups: Int { (columns + groupSize - 1) / groupSize }

    /// The group size used for `columns` inputs: the largest divisor of
    /// `columns` that is at most `preferred` and a multiple of 4, so every group is full and the
    /// size is recoverable from the scales' shape (columns / groups).
    /// A multiple of 4 (the int8 kernel takes inputs four at a time), so
    /// `columns` must be one too.
    public static func groupSize(columns: Int, preferred: Int = 64) -> Int {
        precondition(columns % 4 == 0, "int8 weights need a multiple of 4 inputs, not \(columns)")
        return stride(from: min(preferred, columns) / 4 * 4, through: 4, by: -4).first { columns % $0 == 0 }!
    }

    public init(values: Data, scales: [Float], rows: Int, columns: Int, groupSize: Int) {
        precondition(groupSize > 0 && values.count == rows * columns, "int8 rows size")
        precondition(scales.count == rows * ((columns + groupSize - 1) / groupSize), "int8 scales size")
        (self.values, self.scales, self.rows, self.columns, self.groupSize) = (values, scales, rows, columns, groupSize)
    }

    /// Quantizes rows handed out as float32 by `rowsSource(first, count)`.
    public init(rows: Int, columns: Int, groupSize: Int, rowsSource: (Int, Int) -> [Float]) {
        let groups = (columns + groupSize - 1) / groupSize
        var q = [Int8](repeating: 0, count: rows * columns)
        var s = [Float](repeating: 0, count: rows * groups)
        let chunk = 256
        q.withUnsafeMutableBufferPointer { q in
            s.withUnsafeMutableBufferPointer { s in
                nonisolated(unsafe) let (q, s) = (q.baseAddress!, s.baseAddress!)
                parallelRows((rows + chunk - 1) / chunk) { c in
                    let first = c * chunk, count = min(chunk, rows - first)
                    let w = rowsSource(first, count)
                    for r in 0..<count {
                        for g in 0..<groups {
                            let begin = g * groupSize, end = min(begin + groupSize, columns)
                            let base = r * columns
                            var largest: Float = 0
                            for k in begin..<end { largest = max(largest, abs(w[base + k])) }
                            let scale = largest / 127
                            s[(first + r) * groups + g] = scale
                            guard scale > 0 else { continue }
                            for k in begin..<end {
                                q[(first + r) * columns + k] = Int8((w[base + k] / scale).rounded())
                            }
                        }
                    }
                }
            }
        }
        self.init(values: q.withUnsafeBytes { Data($0) }, scales: s,
                  rows: rows, columns: columns, groupSize: groupSize)
    }

    /// Rows first ..< first + count, dequantized.
    public func floats(_ first: Int, _ count: Int) -> [Float] {
        values.withUnsafeBytes { q in
            (first * columns ..< (first + count) * columns).map { i in
                let (row, column) = i.quotientAndRemainder(dividingBy: columns)
                return Float(q.load(fromByteOffset: i, as: Int8.self)) * scales[row * groups + column / groupSize]
            }
        }
    }
}
