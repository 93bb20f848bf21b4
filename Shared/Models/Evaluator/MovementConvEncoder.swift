import IRGNumerics

/// Frames to movement features, a quarter as many: Conv1d(k4, s2, p1),
/// LeakyReLU(0.2), Conv1d(k4, s2, p1), LeakyReLU(0.2), `out_net` Linear
/// (dropout is inactive at inference). Input: normalised features without
/// the 4 foot-contact dims. `out_net` feeds the motion encoder's linear input
/// layers directly, so it is handed over as a map for them to absorb.
struct MovementConvEncoder {
    let conv1: Conv1d
    let conv2: Conv1d
    let outNet: AffineMap

    init(_ weights: WeightSource, prefix: String, input: Int, hidden: Int, output: Int) throws {
        conv1 = try Conv1d(inChannels: input, outChannels: hidden, kernel: 4, stride: 2, padding: 1,
                           weight: weights.tensor("\(prefix)main.0.weight", shape: [hidden, input, 4]),
                           bias: weights.tensor("\(prefix)main.0.bias", shape: [hidden]))
        conv2 = try Conv1d(inChannels: hidden, outChannels: output, kernel: 4, stride: 2, padding: 1,
                           weight: weights.tensor("\(prefix)main.3.weight", shape: [output, hidden, 4]),
                           bias: weights.tensor("\(prefix)main.3.bias", shape: [output]))
        outNet = try AffineMap(weights, "\(prefix)out_net", input: output, output: output)
    }

    /// `frames`: each motion's frames as the reference batch holds them (real
    /// frames, then zero padding); the first `steps[i]` rows of each, before `out_net`.
    func convolutions(_ frames: Sequences, steps: [Int]) -> [[Float]] {
        var hidden = conv1(frames)
        hidden.leakyReLU()
        var movement = conv2(hidden)
        movement.leakyReLU()
        return zip(movement.timeMajor(), steps).map { sequence, count in Array(sequence.prefix(count * conv2.outChannels)) }
    }
}
