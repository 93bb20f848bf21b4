import Foundation
import IRGMotion

/// A tokenizer checkpoint folder: `vqvae.safetensors` (T2M-GPT state-dict
/// names), `mean.npy` and `std.npy` (the features' normalisation), and an
/// optional `config.json`. Weights may be F32, F16 or BF16.
public struct VQVAECheckpoint: Sendable {
    public let model: VQVAE
    public let normalization: Normalization
    public let folder: URL

    public init(_ folder: URL) throws {
        self.folder = folder
        let config = try checkpointConfig(in: folder, default: VQVAEConfig(), model: "VQ-VAE")
        let weights = try SafeTensorsCheckpoint(folder.appendingPathComponent("vqvae.safetensors"))
        model = try VQVAE(weights, config: config)
        normalization = try Normalization(meanFile: folder.appendingPathComponent("mean.npy"),
                                          stdFile: folder.appendingPathComponent("std.npy"))
        guard normalization.mean.count == config.inputDim else {
            throw MotionError.badShape("mean.npy has \(normalization.mean.count) dims, the model takes \(config.inputDim)")
        }
    }

    /// Un-normalised features in, codes out.
    public func encode(_ motions: [MotionFeatures]) throws -> [[Int32]] {
        try model.encode(motions.map { try normalization.normalize($0).values })
    }

    /// Codes in, un-normalised features out.
    public func decode(_ codes: [[Int32]]) throws -> [MotionFeatures] {
        try model.decode(codes).map { rows in
            try normalization.denormalize(MotionFeatures(frames: rows.count / model.config.inputDim,
                                                         dim: model.config.inputDim, values: rows))
        }
    }
}
