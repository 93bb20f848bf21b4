import IRGNumerics

/// T2M-GPT's decoder (`vqvae.decoder.model.*`): conv(emb -> width, k3), ReLU,
/// down_t x [Resnet1D, upsample x2 nearest, conv(k3)], conv(k3), ReLU, conv(width -> input, k3).
struct MotionDecoder {
    let input: Conv1d
    let up: [(ResidualStack, Conv1d)]
    let penultimate: Conv1d
    let output: Conv1d

    init(_ weights: WeightSource, _ c: VQVAEConfig, prefix: String = "vqvae.decoder.model") throws {
        input = try .load(weights, "\(prefix).0", in: c.outputEmbWidth, out: c.width, kernel: 3, padding: 1)
        up = try (0..<c.downT).map { i in
            (try ResidualStack(weights, prefix: "\(prefix).\(2 + i).0", width: c.width, depth: c.depth,
                               growth: c.dilationGrowthRate),
             try .load(weights, "\(prefix).\(2 + i).2", in: c.width, out: c.width, kernel: 3, padding: 1))
        }
        penultimate = try .load(weights, "\(prefix).\(2 + c.downT)", in: c.width, out: c.width, kernel: 3, padding: 1)
        output = try .load(weights, "\(prefix).\(4 + c.downT)", in: c.width, out: c.inputDim, kernel: 3, padding: 1)
    }

    func callAsFunction(_ x: Sequences) -> Sequences {
        let h = up.reduce(input(x, reluOutput: true)) { h, layer in layer.1(layer.0(h).upsampledNearest(by: 2)) }
        return output(penultimate(h, reluOutput: true))
    }
}
