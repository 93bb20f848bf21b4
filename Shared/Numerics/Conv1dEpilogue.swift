import Foundation

/// What a convolution does to its product rows after the matrix products:
/// add the bias and an optional residual, apply an optional ReLU, in one pass
/// over the output, and leave every row outside the sequences zero.
struct Conv1dEpilogue {
    let bias: [Float]
    let residual: Sequences?
    let relu: Bool

    /// Sequence s's rows of the output (at `starts[s]`) become source rows
    /// from `sourceRows[s]` plus bias (+ residual), ReLU'd when asked; source may be the output itself.
    func apply(source: UnsafePointer<Float>, sourceRows: [Int], into out: UnsafeMutablePointer<Float>,
               starts: [Int], lengths: [Int]) {
        let channels = bias.count
        clearGaps(out, starts: starts, lengths: lengths, channels: channels)
        // One thread: OpenBLAS's own threads spin after each product and took
        // the cores from a parallel pass here, which then ran slower.
        residual.withData { residualData in
            bias.withUnsafeBufferPointer { bias in
                for s in lengths.indices {
                    for t in 0..<lengths[s] {
                        let from = source + (sourceRows[s] + t) * channels
                        let to = out + (starts[s] + t) * channels
                        if let residualData {
                            let extra = residualData + (starts[s] + t) * channels
                            for c in 0..<channels { to[c] = from[c] + bias[c] + extra[c] }
                        } else {
                            for c in 0..<channels { to[c] = from[c] + bias[c] }
                        }
                        if relu { for c in 0..<channels { to[c] = to[c] > 0 ? to[c] : 0 } }
                    }
                }
            }
        }
    }

    /// Zeroes the margin rows between and around the sequences (products write there too).
    private func clearGaps(_ out: UnsafeMutablePointer<Float>, starts: [Int], lengths: [Int], channels: Int) {
        var gapStart = 0
        for (start, length) in zip(starts, lengths) {
            (out + gapStart * channels).update(repeating: 0, count: (start - gapStart) * channels)
            gapStart = start + length
        }
    }
}
