import IRGNumerics

/// T2M-GPT's Resnet1D: `depth` blocks x + conv2(relu(conv1(relu(x)))),
/// conv1 kernel 3 with padding = dilation, conv2 kernel 1. Quirk: the
/// dilations run in reverse (growth^(depth-1) ... 1) in both the encoder and
/// the decoder, because reverse_dilation defaults to true upstream.
struct ResidualStack {
    struct Block {
        let conv1: Conv1d
        let conv2: Conv1d

        func callAsFunction(_ x: Sequences) -> Sequences {
            conv2(conv1(x.relu(), reluOutput: true), residual: x)
        }
    }

    let blocks: [Block]

    init(_ weights: WeightSource, prefix: String, width: Int, depth: Int, growth: Int) throws {
        blocks = try (0..<depth).map { b in
            let dilation = Int(pow(Double(growth), Double(depth - 1 - b)))
            let p = "\(prefix).model.\(b)"
            return Block(
                conv1: try .load(weights, "\(p).conv1", in: width, out: width, kernel: 3, padding: dilation, dilation: dilation),
                conv2: try .load(weights, "\(p).conv2", in: width, out: width, kernel: 1))
        }
    }

    func callAsFunction(_ x: Sequences) -> Sequences { blocks.reduce(x) { $1($0) } }
}

extension Conv1d {
    /// `name.weight` (out, in, kernel) and `name.bias` (out).
    static func load(_ weights: WeightSource, _ name: String, in inChannels: Int, out: Int, kernel: Int,
                     stride: Int = 1, padding: Int = 0, dilation: Int = 1) throws -> Conv1d {
        Conv1d(inChannels: inChannels, outChannels: out, kernel: kernel, stride: stride, padding: padding, dilation: dilation,
               weight: try weights.tensor("\(name).weight", shape: [out, inChannels, kernel]),
               bias: try weights.tensor("\(name).bias", shape: [out]))
    }
}

import Foundation
