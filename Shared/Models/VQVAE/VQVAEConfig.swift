/// T2M-GPT's VQ-VAE hyper-parameters (`config.json` beside the weights,
/// snake_case keys; every key optional, defaulting to T2M-GPT's).
public struct VQVAEConfig: Codable, Sendable, Equatable {
    public var nbCode = 512
    public var codeDim = 512
    public var outputEmbWidth = 512
    public var width = 512
    public var depth = 3
    public var downT = 2
    public var strideT = 2
    public var dilationGrowthRate = 3
    public var inputDim = 263

    public init() {}

    /// Feature frames per code.
    public var downsample: Int { Int(pow(Double(strideT), Double(downT))) }

    /// Zero rows around each sequence in a batch: the widest convolution
    /// padding (the largest dilation), rounded up to a whole stride so that
    /// a strided convolution reads every sequence in step.
    public var margin: Int {
        let widest = max(1, strideT / 2, Int(pow(Double(dilationGrowthRate), Double(depth - 1))))
        return (widest + strideT - 1) / strideT * strideT
    }

    enum CodingKeys: String, CodingKey {
        case nbCode = "nb_code", codeDim = "code_dim", outputEmbWidth = "output_emb_width", width, depth
        case downT = "down_t", strideT = "stride_t", dilationGrowthRate = "dilation_growth_rate", inputDim = "input_dim"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = VQVAEConfig()
        nbCode = try c.decodeIfPresent(Int.self, forKey: .nbCode) ?? d.nbCode
        codeDim = try c.decodeIfPresent(Int.self, forKey: .codeDim) ?? d.codeDim
        outputEmbWidth = try c.decodeIfPresent(Int.self, forKey: .outputEmbWidth) ?? d.outputEmbWidth
        width = try c.decodeIfPresent(Int.self, forKey: .width) ?? d.width
        depth = try c.decodeIfPresent(Int.self, forKey: .depth) ?? d.depth
        downT = try c.decodeIfPresent(Int.self, forKey: .downT) ?? d.downT
        strideT = try c.decodeIfPresent(Int.self, forKey: .strideT) ?? d.strideT
        dilationGrowthRate = try c.decodeIfPresent(Int.self, forKey: .dilationGrowthRate) ?? d.dilationGrowthRate
        inputDim = try c.decodeIfPresent(Int.self, forKey: .inputDim) ?? d.inputDim
    }
}

import Foundation
