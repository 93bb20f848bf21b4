import Foundation

/// (x - mean) / std and back, with any Mean/Std pair: the dataset's, a VQ
/// checkpoint's, or the evaluator's own (which differ; see REFERENCE-NOTES).
public struct Normalization: Sendable {
    public let mean: [Float]
    public let std: [Float]

    public init(mean: [Float], std: [Float]) throws {
        guard mean.count == std.count, !mean.isEmpty else {
            throw MotionError.badShape("mean has \(mean.count) dims, std \(std.count)")
        }
        guard std.allSatisfy({ $0 > 0 && $0.isFinite }), mean.allSatisfy(\.isFinite) else {
            throw MotionError.notFinite("mean/std (std must be positive)")
        }
        self.mean = mean
        self.std = std
    }

    /// Mean.npy and Std.npy (any float dtype).
    public init(meanFile: URL, stdFile: URL) throws {
        try self.init(mean: NPYArray.read(meanFile).floats(), std: NPYArray.read(stdFile).floats())
    }

    public func normalize(_ f: MotionFeatures) throws -> MotionFeatures { try apply(f) { ($0 - $1) / $2 } }
    public func denormalize(_ f: MotionFeatures) throws -> MotionFeatures { try apply(f) { $0 * $2 + $1 } }

    private func apply(_ f: MotionFeatures, _ op: (Float, Float, Float) -> Float) throws -> MotionFeatures {
        guard f.dim == mean.count else { throw MotionError.badShape("features have \(f.dim) dims, mean/std \(mean.count)") }
        var out = f
        for i in out.values.indices { out.values[i] = op(f.values[i], mean[i % f.dim], std[i % f.dim]) }
        return out
    }
}
