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
        router.implement(Irg_V1_MotionTokenizer.encode) { request, _ in try await encode(request) }
        router.implement(Irg_V1_MotionTokenizer.decode) { request, _ in try await decode(request) }
        router.implement(Irg_V1_MotionTokenizer.info) { _, _ in try info() }
    }

    private func model() throws -> VQVAECheckpoint {
        guard let checkpoint else {
            throw RPCError(.failedPrecondition, "irg-tokenizer was started without --checkpoint DIR; no model is loaded")
        }
        return checkpoint
    }

    func encode(_ request: Irg_V1_EncodeRequest) async throws -> Irg_V1_EncodeResponse {
        let model = try model()
        let motions = request.motions
        guard !motions.isEmpty else { throw RPCError(.invalidArgument, "motions is empty") }
        let codes = try await ComputeQueue.run {
            let features = try motions.enumerated().map { i, motion in try TensorMessages.features(of: motion, index: i, dim: model.model.config.inputDim) }
            return try TensorMessages.invalidArgument { try model.encode(features) }
        }
        return .with { $0.codes = codes.map { sequence in .with { $0.codes = sequence.map { Int32($0) } } } }
    }

    func decode(_ request: Irg_V1_DecodeRequest) async throws -> Irg_V1_DecodeResponse {
        let model = try model()
        let sequences = try request.codes.enumerated().map { i, m -> [Int32] in
            guard !m.codes.isEmpty else { throw RPCError(.invalidArgument, "codes[\(i)] is empty") }
            return m.codes
        }
        guard !sequences.isEmpty else { throw RPCError(.invalidArgument, "codes is empty") }
        let withJoints = !request.skipJoints
        let motions = try await ComputeQueue.run { () -> [(MotionFeatures, JointPositions?)] in
            let features = try TensorMessages.invalidArgument { try model.decode(sequences) }
            return try features.map { f in (f, withJoints ? try FeatureRecovery.joints(f, jointCount: 22) : nil) }
        }
        return .with { $0.motions = motions.map { TensorMessages.motion(features: $0, joints: $1) } }
    }

    func info() throws -> Irg_V1_InfoResponse {
        let c = try model().model.config
        let kit = c.inputDim == 251
        return .with {
            $0.codebookSize = UInt32(c.nbCode)
            $0.codeDim = UInt32(c.codeDim)
            $0.featureDim = UInt32(c.inputDim)
            $0.numJoints = kit ? 21 : 22
            $0.downsample = UInt32(c.downsample)
            $0.fps = kit ? 12.5 : 20
            $0.checkpointID = checkpointID
            $0.skeleton = kit ? .kit : .humanml3D
        }
    }

    /// FNV-1a 64 of the weights file, hex: tells deployments which weights a worker serves.
    static func contentHash(_ url: URL) throws -> String {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        return String(data.withUnsafeBytes { fnv1a($0) }, radix: 16)
    }
}
