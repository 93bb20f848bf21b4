/// The elementwise pieces of convolutional networks (margins stay zero).
public extension Sequences {
    func relu() -> Sequences {
        var out = self
        out.data.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] = values[i] > 0 ? values[i] : 0 }
        }
        return out
    }

    /// torch.nn.Upsample(scale_factor: factor, mode: "nearest") along time, per sequence.
    func upsampledNearest(by factor: Int) -> Sequences {
        var out = Sequences(channels: channels, lengths: lengths.map { $0 * factor }, margin: margin)
        let width = channels
        out.data.withUnsafeMutableBufferPointer { to in
            data.withUnsafeBufferPointer { from in
                for (s, length) in lengths.enumerated() {
                    for t in 0..<length {
                        let row = from.baseAddress! + (starts[s] + t) * width
                        for r in 0..<factor {
                            (to.baseAddress! + (out.starts[s] + t * factor + r) * width).update(from: row, count: width)
                        }
                    }
                }
            }
        }
        return out
    }
}

public extension Sequences {
    /// torch.nn.LeakyReLU(slope) in place (margins stay zero).
    mutating func leakyReLU(slope: Float = 0.2) {
        IRGNumerics.leakyReLU(&data, slope: slope)
    }
}
