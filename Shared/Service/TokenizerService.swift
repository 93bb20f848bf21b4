import Foundation
import IRGModels
import IRGNumerics
import IRGMotion
import IRGProto
import IRGRPC

/// irg.v1.MotionTokenizer: Encode, Decode, Info over a VQ-VAE checkpoint.
public struct TokenizerService: Sendable {
    let checkpoint: VQVAECheckpoint?
    let checkpointID: String

    /// Without a checkpoint the methods answer FAILED_PRECONDITION, saying so.
    public init(checkpoint folder: URL?) throws {
        guard let folder else {
            checkpoint = nil
            checkpointID = ""
            return
        }
        checkpoint = try VQVAECheckpoint(folder)
        checkpointID = try TokenizerService.contentHash(folder.appendingPathComponent("vqvae.safetensors"))
    }

    public func install(on router: Router) {
        router.implement("irg.v1.MotionTokenizer/Encode") { request, _ in try await encode(request) }
        router.implement("irg.v1.MotionTokenizer/Decode") { request, _ in try await decode(request) }
        router.implement("irg.v1.MotionTokenizer/Info") { _, _ in try info() }
    }

    private func model() throws -> VQVAECheckpoint {
        guard let checkpoint else {
            throw RPCError(.failedPrecondition, "irg-tokenizer was started without --checkpoint DIR; no model is loaded")
        }
        return checkpoint
    }

    func encode(_ request: ProtoMessage) async throws -> ProtoMessage {
        let model = try model()
        let motions = request.messages("motions")
        guard !motions.isEmpty else { throw RPCError(.invalidArgument, "motions is empty") }
        let codes = try await ComputeQueue.run {
            let features = try motions.enumerated().map { i, motion in try TensorMessages.features(of: motion, index: i, dim: model.model.config.inputDim) }
            return try TensorMessages.invalidArgument { try model.encode(features) }
        }
        var reply = ProtoMessage(type: "irg.v1.EncodeResponse")
        reply["codes"] = .list(codes.map { sequence in
            var m = ProtoMessage(type: "irg.v1.MotionCodes")
            m["codes"] = .list(sequence.map { .int(Int64($0)) })
            return .message(m)
        })
        return reply
    }

    func decode(_ request: ProtoMessage) async throws -> ProtoMessage {
        let model = try model()
        let sequences = try request.messages("codes").enumerated().map { i, m -> [Int32] in
            let codes = m.list("codes").compactMap { value -> Int32? in
                if case .int(let c) = value { return Int32(exactly: c) }
                return nil
            }
            guard !codes.isEmpty else { throw RPCError(.invalidArgument, "codes[\(i)] is empty") }
            return codes
        }
        guard !sequences.isEmpty else { throw RPCError(.invalidArgument, "codes is empty") }
        let withJoints = !request.bool("skip_joints")
        let motions = try await ComputeQueue.run { () -> [(MotionFeatures, JointPositions?)] in
            let features = try TensorMessages.invalidArgument { try model.decode(sequences) }
            return try features.map { f in (f, withJoints ? try FeatureRecovery.joints(f, jointCount: 22) : nil) }
        }
        var reply = ProtoMessage(type: "irg.v1.DecodeResponse")
        reply["motions"] = .list(motions.map { features, joints in
            var m = ProtoMessage(type: "irg.v1.Motion")
            m["features"] = .message(TensorMessages.tensor(shape: [features.frames, features.dim], values: features.values))
            if let joints { m["joints"] = .message(TensorMessages.tensor(shape: [joints.frames, 22, 3], values: joints.values)) }
            m["fps"] = .float(20)
            return .message(m)
        })
        return reply
    }

    func info() throws -> ProtoMessage {
        let c = try model().model.config
        var reply = ProtoMessage(type: "irg.v1.InfoResponse")
        reply["codebook_size"] = .uint(UInt64(c.nbCode))
        reply["code_dim"] = .uint(UInt64(c.codeDim))
        reply["feature_dim"] = .uint(UInt64(c.inputDim))
        reply["num_joints"] = .uint(c.inputDim == 251 ? 21 : 22)
        reply["downsample"] = .uint(UInt64(c.downsample))
        reply["fps"] = .float(c.inputDim == 251 ? 12.5 : 20)
        reply["checkpoint_id"] = .string(checkpointID)
        reply["skeleton"] = .enumValue(c.inputDim == 251 ? 1 : 0)
        return reply
    }

    /// FNV-1a 64 of the weights file, hex: tells deployments which weights a worker serves.
    static func contentHash(_ url: URL) throws -> String {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        return String(data.withUnsafeBytes { fnv1a($0) }, radix: 16)
    }
}
