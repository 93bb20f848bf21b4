import IRGNumerics

/// T2M-GPT's encoder (`vqvae.encoder.model.*`): conv(input -> width, k3), ReLU,
/// down_t x [conv(k = 2 stride, stride, pad stride/2), Resnet1D], conv(width -> emb, k3).
/// Time shrinks by stride^down_t.
struct MotionEncoder {
    let input: Conv1d
    let down: [(Conv1d, ResidualStack)]
    let output: Conv1d

    init(_ weights: WeightSource, _ c: VQVAEConfig, prefix: String = "vqvae.encoder.model") throws {
        input = try .load(weights, "\(prefix).0", in: c.inputDim, out: c.width, kernel: 3, padding: 1)
        down = try (0..<c.downT).map { i in
            (try .load(weights, "\(prefix).\(2 + i).0", in: c.width, out: c.width, kernel: 2 * c.strideT,
                       stride: c.strideT, padding: c.strideT / 2),
             try ResidualStack(weights, prefix: "\(prefix).\(2 + i).1", width: c.width, depth: c.depth,
                               growth: c.dilationGrowthRate))
        }
        output = try .load(weights, "\(prefix).\(2 + c.downT)", in: c.width, out: c.outputEmbWidth, kernel: 3, padding: 1)
    }

    func callAsFunction(_ x: Sequences) -> Sequences {
        let h = down.reduce(input(x, reluOutput: true)) { h, layer in layer.1(layer.0(h)) }
        return output(h)
    }
}
