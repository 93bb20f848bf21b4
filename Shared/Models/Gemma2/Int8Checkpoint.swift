import Foundation
import IRGMotion
import IRGNumerics

/// Gemma2's 8-bit weight format: every projection and the tied embedding as
/// an I8 (out, in) tensor under its usual name plus an F32 (out, groups)
/// `<name>_scale`, one scale per group of in / groups consecutive inputs
/// (64 where that divides in). Norms and anything else stay as they were.
/// The file is an ordinary safetensors file: it maps like any other, and
/// `Gemma2Model(folder:)` reads the pair back as an int8 matrix.
public enum Int8Checkpoint {
    public static let scaleSuffix = "_scale"

    /// Whether a tensor is one of the matrices the format quantizes.
    static func isQuantized(_ name: String, _ tensor: SafeTensor) -> Bool {
        tensor.shape.count == 2 && (name.hasSuffix("_proj.weight") || name == "model.embed_tokens.weight")
    }

    /// The checkpoint with its matrices quantized (already-I8 ones kept).
    public static func quantize(_ checkpoint: SafeTensorsCheckpoint) throws -> SafeTensorsCheckpoint {
        var tensors: [String: SafeTensor] = [:]
        for (name, tensor) in checkpoint.tensors {
            guard isQuantized(name, tensor), tensor.dtype != .i8 else { tensors[name] = tensor; continue }
            let (out, inFeatures) = (tensor.shape[0], tensor.shape[1])
            let rows = try WeightMatrix(tensor, name: name, out: out, in: inFeatures).int8Rows()
            tensors[name] = SafeTensor(dtype: .i8, shape: [out, inFeatures], data: rows.values)
            tensors[name + scaleSuffix] = SafeTensor(shape: [out, rows.groups], floats: rows.scales)
        }
        var metadata = checkpoint.metadata
        metadata["format"] = "pt"
        metadata["irg_weight_format"] = "int8, float32 scale per group of inputs (<name>_scale)"
        return SafeTensorsCheckpoint(tensors: tensors, metadata: metadata)
    }

    /// Writes `model.safetensors` of the quantized weights into `output`,
    /// with every other file of the model folder (config, tokenizer,
    /// irg_options.json) copied beside it.
    public static func quantizeFolder(_ folder: URL, into output: URL) throws {
        let checkpoint = try SafeTensorsCheckpoint(folder)
        let manager = FileManager.default
        try manager.createDirectory(at: output, withIntermediateDirectories: true)
        for name in try manager.contentsOfDirectory(atPath: folder.path).sorted()
        where !name.hasSuffix(".safetensors") && name != "model.safetensors.index.json" {
            var isFolder: ObjCBool = false
            let source = folder.appendingPathComponent(name)
            guard manager.fileExists(atPath: source.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let target = output.appendingPathComponent(name)
            try? manager.removeItem(at: target)
            try manager.copyItem(at: source, to: target)
        }
        try quantize(checkpoint).write(output.appendingPathComponent("model.safetensors"))
    }
}
