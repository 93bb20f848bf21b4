import Foundation
import IRGMotion
import IRGNumerics

/// Where a model's tensors come from, by their PyTorch state-dict names.
public protocol WeightSource {
    /// The tensor as Float32; a missing or misshapen tensor is an error naming it.
    func tensor(_ name: String, shape: [Int]) throws -> [Float]
}

extension SafeTensorsCheckpoint: WeightSource {
    public func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        try tensor(name, shape: shape).floats()
    }
}

/// Weights from a counter-based generator that NumPy reproduces exactly
/// (Scripts/reference/vq_reference.py): tensor `name` gets SplitMix64
/// values seeded by FNV-1a(name) ^ seed, uniform in +-1/sqrt(fan_in) for
/// weights and +-0.05 for biases. Tests and benchmarks use it for
/// full-size models that are too large to commit.
public struct DeterministicWeights: WeightSource {
    public let seed: UInt64
    /// Tensors given explicitly (e.g. a codebook taken from real encoder outputs).
    public var overrides: [String: [Float]] = [:]

    public init(seed: UInt64) { self.seed = seed }

    public func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        if let given = overrides[name] {
            guard given.count == shape.reduce(1, *) else { throw MotionError.badShape("tensor '\(name)' size differs") }
            return given
        }
        let count = shape.reduce(1, *)
        let bound = name.hasSuffix(".bias") ? 0.05 : 1 / Double(shape.dropFirst().reduce(1, *)).squareRoot()
        let tensorSeed = stableHash(name) ^ seed
        return (0..<count).map { k in
            let u = Double(splitMix64(seed: tensorSeed, index: UInt64(k)) >> 11) * 0x1p-53
            return Float((2 * u - 1) * bound)
        }
    }
}

extension WeightMatrix {
    /// A checkpoint tensor as an (out, in) matrix: aligned F32 stays in the
    /// mapping, aligned BF16 is packed into panels, anything else (F16,
    /// unaligned) is widened once.
    init(_ tensor: SafeTensor, name: String, out: Int, in inFeatures: Int) throws {
        guard tensor.shape == [out, inFeatures] else {
            throw MotionError.badShape("tensor '\(name)' has shape \(tensor.shape), expected [\(out), \(inFeatures)]")
        }
        let aligned = tensor.data.withUnsafeBytes { Int(bitPattern: $0.baseAddress) % 4 == 0 }
        switch tensor.dtype {
        case .bf16 where aligned: self.init(outFeatures: out, inFeatures: inFeatures, mapped: tensor.data, format: .bfloat16)
        case .f32 where aligned: self.init(outFeatures: out, inFeatures: inFeatures, mapped: tensor.data, format: .float32)
        case .f32, .bf16, .f16: self.init(outFeatures: out, inFeatures: inFeatures, floats: tensor.floats())
        default: throw MotionError.parse("tensor '\(name)' is \(tensor.dtype.rawValue); weights must be F32, BF16, F16 or I8 with scales")
        }
    }

    /// An I8 (out, in) tensor with its F32 (out, groups) `name_scale`
    /// (`Int8Checkpoint`'s layout): the values stay in the mapping.
    init(int8 tensor: SafeTensor, scales: SafeTensor, name: String, out: Int, in inFeatures: Int) throws {
        guard tensor.shape == [out, inFeatures] else {
            throw MotionError.badShape("tensor '\(name)' has shape \(tensor.shape), expected [\(out), \(inFeatures)]")
        }
        guard scales.dtype == .f32, scales.shape.count == 2, scales.shape[0] == out, scales.shape[1] > 0,
              inFeatures % scales.shape[1] == 0
        else {
            throw MotionError.badShape("tensor '\(name)_scale' must be F32 [\(out), groups] with groups dividing \(inFeatures); it is \(scales.dtype.rawValue) \(scales.shape)")
        }
        self.init(int8: Int8Rows(values: tensor.data, scales: scales.floats(), rows: out, columns: inFeatures,
                                 groupSize: inFeatures / scales.shape[1]))
    }
}

extension AffineMap {
    /// A torch.nn.Linear's map from `name.weight` (out, in) and `name.bias`.
    init(_ weights: WeightSource, _ name: String, input: Int, output: Int) throws {
        try self.init(inFeatures: input, outFeatures: output,
                      weight: weights.tensor("\(name).weight", shape: [output, input]),
                      bias: weights.tensor("\(name).bias", shape: [output]))
    }
}
