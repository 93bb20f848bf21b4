/// Sizes read from files users hand us, computed without trapping: a header
/// that claims a shape whose byte count overflows, or a count that is not a
/// whole number in range, is an error to report, not a crash (Scripts/fuzz.sh).
enum CheckedSize {
    /// The bytes of an array of `shape` with `elementSize`-byte elements; nil on a negative dimension or overflow.
    static func bytes(shape: [Int], elementSize: Int) -> Int? {
        var total = elementSize
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            total = product
        }
        return total
    }

    /// A count written as a number in a text file: a whole number in `range`, else nil.
    static func count(_ value: Double, in range: ClosedRange<Int>) -> Int? {
        guard let n = Int(exactly: value), range.contains(n) else { return nil }
        return n
    }
}
