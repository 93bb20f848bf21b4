import ArgumentParser
import Foundation
import IRGModels
import IRGMotion

/// `irg vq ...`: the motion tokenizer from the command line.
struct VQCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vq", abstract: "Motion features <-> VQ-VAE codes.", subcommands: [VQEncodeCommand.self, VQDecodeCommand.self])
}

struct VQEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Un-normalised features (T, 263), float32 or float64 -> int32 codes: floor(T/4) of them, from the first floor(T/4)*4 frames.")

    @Option(help: "Checkpoint folder (vqvae.safetensors, mean.npy, std.npy, config.json).")
    var checkpoint: String

    @Argument(help: "Features .npy.")
    var input: String

    @Option(help: "Output .npy (int32).")
    var out: String

    func run() throws {
        let model = try motionStep(checkpoint) { try VQVAECheckpoint(URL(fileURLWithPath: checkpoint)) }
        let features = try motionStep(input) {
            try MotionFeatures(NPYArray.read(URL(fileURLWithPath: input)), dim: model.model.config.inputDim)
        }
        let codes = try motionStep(input) { try model.encode([features])[0] }
        try motionStep(out) { try NPYArray(shape: [codes.count], int32s: codes).write(URL(fileURLWithPath: out)) }
    }
}

struct VQDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode", abstract: "int32 (or int64) codes (N,) -> un-normalised features (4N, 263), float32.")

    @Option(help: "Checkpoint folder.")
    var checkpoint: String

    @Argument(help: "Codes .npy.")
    var input: String

    @Option(help: "Output .npy (float32).")
    var out: String

    func run() throws {
        let model = try motionStep(checkpoint) { try VQVAECheckpoint(URL(fileURLWithPath: checkpoint)) }
        let codes = try motionStep(input) { () throws -> [Int32] in
            let array = try NPYArray.read(URL(fileURLWithPath: input))
            guard array.shape.count == 1, array.dtype == .int32 || array.dtype == .int64 else {
                throw MotionError.badShape("codes must be a 1-D int32 or int64 array, got \(array.dtype.rawValue) \(array.shape)")
            }
            return try array.int64s().map { code in
                guard let c = Int32(exactly: code) else { throw MotionError.badShape("code \(code) is out of range") }
                return c
            }
        }
        let features = try motionStep(input) { try model.decode([codes])[0] }
        try motionStep(out) { try features.npy.write(URL(fileURLWithPath: out)) }
    }
}
