import Foundation
import IRGMotion
import IRGProto
import IRGRPC

/// irg.v1.Tensor <-> Float arrays: packed little-endian float32, explicit shape.
public enum TensorMessages {
    /// A float32 tensor's shape and values; wrong dtype, size or a NaN is INVALID_ARGUMENT naming `field`.
    public static func floats(_ tensor: Irg_V1_Tensor?, field: String) throws -> (shape: [Int], values: [Float]) {
        guard let tensor else { throw RPCError(.invalidArgument, "\(field) is missing") }
        guard tensor.dtype == .float32 else { throw RPCError(.invalidArgument, "\(field) must be FLOAT32") }
        let shape = tensor.shape.map { Int(exactly: $0) ?? -1 }
        let count = shape.allSatisfy({ $0 >= 0 }) ? shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? -1 : $0 * $1 }) : -1
        let bytes = tensor.data
        guard !shape.isEmpty, count >= 0, bytes.count % 4 == 0, bytes.count / 4 == count else {
            throw RPCError(.invalidArgument, "\(field): shape \(tensor.shape) does not match \(bytes.count) bytes of float32")
        }
        // One copy of the little-endian bytes (this platform's order); an element loop was a
        // visible share of a 16 MB AssessBatch.
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            initialized = count
        }
        guard values.allSatisfy(\.isFinite) else { throw RPCError(.invalidArgument, "\(field) contains NaN or infinity") }
        return (shape, values)
    }

    public static func tensor(shape: [Int], values: [Float]) -> Irg_V1_Tensor {
        .with {
            $0.shape = shape.map { UInt64($0) }
            $0.data = values.withUnsafeBytes { Array($0) }
        }
    }

    /// Library errors about bad input become INVALID_ARGUMENT (LibraryErrorStatus).
    public static func invalidArgument<T>(_ body: () throws -> T) throws -> T {
        try LibraryErrorStatus.mapped(body)
    }

    /// A Motion message's features (T, dim) as given, or computed from its joints (T, 22, 3);
    /// errors name the field `motions[i]`.
    public static func features(of motion: Irg_V1_Motion, index i: Int, dim: Int) throws -> MotionFeatures {
        try features(of: motion, field: "motions[\(i)]", dim: dim)
    }

    /// The same, errors naming `field` (e.g. "items[3].reference").
    public static func features(of motion: Irg_V1_Motion, field: String, dim: Int) throws -> MotionFeatures {
        if motion.hasFeatures {
            let (shape, values) = try floats(motion.features, field: "\(field).features")
            guard shape.count == 2, shape[1] == dim, shape[0] > 0 else {
                throw RPCError(.invalidArgument, "\(field).features must be (T, \(dim)), got \(shape)")
            }
            return MotionFeatures(frames: shape[0], dim: dim, values: values)
        }
        let joints = try joints(of: motion, field: field)
        return try invalidArgument { try FeatureExtractor().features(joints) }
    }

    /// A Motion message's joints (T, 22, 3), T > 1; errors name the field `motions[i]`.
    public static func joints(of motion: Irg_V1_Motion, index i: Int) throws -> JointPositions {
        try joints(of: motion, field: "motions[\(i)]")
    }

    public static func joints(of motion: Irg_V1_Motion, field: String) throws -> JointPositions {
        guard motion.hasJoints else {
            throw RPCError(.invalidArgument, "\(field) has neither features nor joints")
        }
        let (shape, values) = try floats(motion.joints, field: "\(field).joints")
        guard shape.count == 3, shape[1] == 22, shape[2] == 3, shape[0] > 1 else {
            throw RPCError(.invalidArgument, "\(field).joints must be (T, 22, 3) with T > 1, got \(shape)")
        }
        return JointPositions(frames: shape[0], joints: 22, values: values)
    }

    /// A Motion message with features (and joints when given), as the tokenizer and the loop return them.
    public static func motion(features: MotionFeatures, joints: JointPositions?) -> Irg_V1_Motion {
        .with {
            $0.features = tensor(shape: [features.frames, features.dim], values: features.values)
            if let joints { $0.joints = tensor(shape: [joints.frames, joints.joints, 3], values: joints.values) }
            $0.fps = 20
        }
    }
}
