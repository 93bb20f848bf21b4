import Foundation

/// A batch of sequences of `channels`-dim vectors, time-major: each time step
/// is a row of `channels` floats, sequences one after another, each preceded
/// (and the batch followed) by `margin` rows of zeros.
///
/// Why this layout: a convolution reads its zero padding from the margins
/// instead of special-casing sequence edges, one matrix product covers the
/// whole batch, and for dilation 1 the rows a kernel reads for one output
/// step are contiguous, so the im2col matrix is the data itself seen with
/// overlapping rows (no copy). Features arrive and leave time-major, too.
public struct Sequences: Sendable, Equatable {
    public let channels: Int
    public let lengths: [Int]
    /// Zero rows before each sequence and after the last one.
    public let margin: Int
    /// rows x channels, margins zero.
    public var data: [Float]

    /// First row of each sequence.
    public let starts: [Int]
    /// All rows, margins included.
    public var rows: Int { data.count / max(channels, 1) }
    /// Rows from the first sequence's first row to the last one's end (the span products cover).
    public var span: Range<Int> { (starts.first ?? margin)..<((starts.last ?? margin) + (lengths.last ?? 0)) }

    /// All zeros.
    public init(channels: Int, lengths: [Int], margin: Int) {
        precondition(channels > 0 && margin >= 0 && lengths.allSatisfy { $0 >= 0 }, "bad sequence shape")
        self.channels = channels
        self.lengths = lengths
        self.margin = margin
        starts = lengths.reduce(into: [margin]) { $0.append($0.last! + $1 + margin) }.dropLast()
        let rows = margin + lengths.reduce(0) { $0 + $1 + margin }
        data = [Float](repeating: 0, count: rows * channels)
    }

    /// From time-major rows (T, channels) per sequence, as features arrive.
    public init(timeMajor sequences: [[Float]], channels: Int, margin: Int) {
        self.init(channels: channels, lengths: sequences.map { $0.count / channels }, margin: margin)
        for (s, rows) in sequences.enumerated() {
            precondition(rows.count == lengths[s] * channels, "rows do not fill (T, \(channels))")
            data.replaceSubrange((starts[s] * channels)..<((starts[s] + lengths[s]) * channels), with: rows)
        }
    }

    /// Back to time-major rows (T, channels) per sequence.
    public func timeMajor() -> [[Float]] {
        zip(starts, lengths).map { start, length in Array(data[(start * channels)..<((start + length) * channels)]) }
    }
}

extension Optional where Wrapped == Sequences {
    /// The rows of an optional batch (a residual, say) as a pointer, nil when there is none.
    func withData<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let self else { return body(nil) }
        return self.data.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
