import Foundation
import IRGMotion
import IRGNumerics

/// T2M-GPT's motion VQ-VAE at inference (REFERENCE-NOTES section 2): normalised
/// features (T, input_dim) -> codes, one per `downsample` frames, and codes
/// -> normalised features (downsample x N, input_dim). Batches mix lengths.
public struct VQVAE: Sendable {
    public let config: VQVAEConfig
    let encoder: MotionEncoder
    let decoder: MotionDecoder
    let quantizer: CodebookQuantizer

    public init(_ weights: WeightSource, config: VQVAEConfig = VQVAEConfig()) throws {
        guard config.codeDim == config.outputEmbWidth else {
            throw MotionError.badShape("code_dim (\(config.codeDim)) must equal output_emb_width (\(config.outputEmbWidth))")
        }
        self.config = config
        encoder = try MotionEncoder(weights, config)
        decoder = try MotionDecoder(weights, config)
        quantizer = try CodebookQuantizer(weights, nbCode: config.nbCode, codeDim: config.codeDim)
    }

    /// Codes of each motion: the first floor(T / downsample) * downsample
    /// frames are encoded. Rows are time-major (T, input_dim), normalised.
    public func encode(_ motions: [[Float]]) throws -> [[Int32]] {
        let d = config.downsample
        let cropped = try motions.map { rows -> [Float] in
            let frames = rows.count / config.inputDim
            guard rows.count % config.inputDim == 0, frames >= d else {
                throw MotionError.tooShort("a motion needs at least \(d) frames of \(config.inputDim) dims to give a code")
            }
            return Array(rows.prefix(frames / d * d * config.inputDim))
        }
        return quantizer.quantize(encoder(Sequences(timeMajor: cropped, channels: config.inputDim, margin: config.margin)))
    }

    /// Normalised features (downsample x N, input_dim) of each code sequence.
    public func decode(_ codes: [[Int32]]) throws -> [[Float]] {
        for sequence in codes {
            guard !sequence.isEmpty else { throw MotionError.tooShort("an empty code sequence") }
            if let bad = sequence.first(where: { $0 < 0 || Int($0) >= config.nbCode }) {
                throw MotionError.badShape("code \(bad) is outside [0, \(config.nbCode))")
            }
        }
        return decoder(quantizer.dequantize(codes, margin: config.margin)).timeMajor()
    }
}
