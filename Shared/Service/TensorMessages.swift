import Foundation
import IRGMotion
import IRGProto
import IRGRPC

/// irg.v1.Tensor <-> Float arrays: packed little-endian float32, explicit shape.
public enum TensorMessages {
    /// A float32 tensor's shape and values; wrong dtype, size or a NaN is INVALID_ARGUMENT naming `field`.
    public static func floats(_ tensor: ProtoMessage?, field: String) throws -> (shape: [Int], values: [Float]) {
        guard let tensor else { throw RPCError(.invalidArgument, "\(field) is missing") }
        guard tensor.enumValue("dtype") == 0 else { throw RPCError(.invalidArgument, "\(field) must be FLOAT32") }
        let shape = tensor.list("shape").map { value -> Int in
            if case .uint(let n) = value { return Int(n) }
            return -1
        }
        let count = shape.reduce(1, *)
        let bytes = tensor.bytes("data")
        guard !shape.isEmpty, shape.allSatisfy({ $0 >= 0 }), bytes.count == count * 4 else {
            throw RPCError(.invalidArgument, "\(field): shape \(shape) needs \(count * 4) bytes of float32, got \(bytes.count)")
        }
        let values = bytes.withUnsafeBytes { raw in (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
        guard values.allSatisfy(\.isFinite) else { throw RPCError(.invalidArgument, "\(field) contains NaN or infinity") }
        return (shape, values)
    }

    public static func tensor(shape: [Int], values: [Float]) -> ProtoMessage {
        var t = ProtoMessage(type: "irg.v1.Tensor")
        t["shape"] = .list(shape.map { .uint(UInt64($0)) })
        t["data"] = .bytes(values.withUnsafeBytes { Array($0) })
        return t
    }

    /// Library errors about bad input become INVALID_ARGUMENT (LibraryErrorStatus).
    public static func invalidArgument<T>(_ body: () throws -> T) throws -> T {
        try LibraryErrorStatus.mapped(body)
    }

    /// A Motion message's features (T, dim) as given, or computed from its joints (T, 22, 3).
    public static func features(of motion: ProtoMessage, index i: Int, dim: Int) throws -> MotionFeatures {
        if let f = motion.message("features") {
            let (shape, values) = try floats(f, field: "motions[\(i)].features")
            guard shape.count == 2, shape[1] == dim, shape[0] > 0 else {
                throw RPCError(.invalidArgument, "motions[\(i)].features must be (T, \(dim)), got \(shape)")
            }
            return MotionFeatures(frames: shape[0], dim: dim, values: values)
        }
        let joints = try joints(of: motion, index: i)
        return try invalidArgument { try FeatureExtractor().features(joints) }
    }

    /// A Motion message's joints (T, 22, 3), T > 1.
    public static func joints(of motion: ProtoMessage, index i: Int) throws -> JointPositions {
        guard let j = motion.message("joints") else {
            throw RPCError(.invalidArgument, "motions[\(i)] has neither features nor joints")
        }
        let (shape, values) = try floats(j, field: "motions[\(i)].joints")
        guard shape.count == 3, shape[1] == 22, shape[2] == 3, shape[0] > 1 else {
            throw RPCError(.invalidArgument, "motions[\(i)].joints must be (T, 22, 3) with T > 1, got \(shape)")
        }
        return JointPositions(frames: shape[0], joints: 22, values: values)
    }
}
