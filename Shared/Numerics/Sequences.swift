/// A batch of sequences of `channels`-dim vectors, channels-first: row c
/// holds channel c of every time step of every sequence, sequences side by
/// side (`segments` gives each one's columns). Layers that look along time
/// (convolutions, upsampling) respect the segment boundaries; one matrix
/// product then serves the whole batch.
public struct Sequences: Sendable, Equatable {
    public var channels: Int
    public var lengths: [Int]
    public var data: [Float]

    public var columns: Int { lengths.reduce(0, +) }
    /// Start column of each sequence.
    public var offsets: [Int] { lengths.reduce(into: [0]) { $0.append($0.last! + $1) }.dropLast() }

    public init(channels: Int, lengths: [Int], data: [Float]) {
        precondition(data.count == channels * lengths.reduce(0, +), "data does not fill (\(channels), \(lengths))")
        self.channels = channels
        self.lengths = lengths
        self.data = data
    }

    public init(channels: Int, lengths: [Int]) {
        self.init(channels: channels, lengths: lengths, data: [Float](repeating: 0, count: channels * lengths.reduce(0, +)))
    }

    /// From time-major rows (T, channels) per sequence, as features arrive.
    public init(timeMajor sequences: [[Float]], channels: Int) {
        let lengths = sequences.map { $0.count / channels }
        self.init(channels: channels, lengths: lengths)
        var column = 0
        for (s, rows) in sequences.enumerated() {
            for t in 0..<lengths[s] {
                for c in 0..<channels { data[c * columns + column + t] = rows[t * channels + c] }
            }
            column += lengths[s]
        }
    }

    /// Back to time-major rows (T, channels) per sequence.
    public func timeMajor() -> [[Float]] {
        let total = columns
        return zip(offsets, lengths).map { offset, length in
            var rows = [Float](repeating: 0, count: length * channels)
            for c in 0..<channels {
                for t in 0..<length { rows[t * channels + c] = data[c * total + offset + t] }
            }
            return rows
        }
    }
}
