/// The elementwise pieces of convolutional networks.
public extension Sequences {
    func relu() -> Sequences {
        var out = self
        for i in out.data.indices where out.data[i] < 0 { out.data[i] = 0 }
        return out
    }

    static func + (a: Sequences, b: Sequences) -> Sequences {
        precondition(a.channels == b.channels && a.lengths == b.lengths, "residual shapes differ")
        var out = a
        for i in out.data.indices { out.data[i] += b.data[i] }
        return out
    }

    /// torch.nn.Upsample(scale_factor: factor, mode: "nearest") along time, per sequence.
    func upsampledNearest(by factor: Int) -> Sequences {
        var out = Sequences(channels: channels, lengths: lengths.map { $0 * factor })
        let inColumns = columns, outColumns = out.columns
        for c in 0..<channels {
            for t in 0..<inColumns {
                let v = data[c * inColumns + t]
                for r in 0..<factor { out.data[c * outColumns + t * factor + r] = v }
            }
        }
        return out
    }
}
