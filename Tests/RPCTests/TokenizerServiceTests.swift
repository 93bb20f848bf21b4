import Foundation
import IRGMotion
import IRGProto
@testable import IRGRPC
import IRGService
import Testing

/// irg.v1.MotionTokenizer over real sockets with the small converted checkpoint.
@Suite struct TokenizerServiceTests {
    static let fixtures: URL = {
        var dir = URL(fileURLWithPath: #filePath)
        dir.deleteLastPathComponent()
        return dir.deletingLastPathComponent()
    }()
    static let checkpoint = fixtures.appendingPathComponent("ModelTests/Fixtures/vq/small_f32")

    static func serve(checkpoint: URL?) throws -> (NngServer, NngClient) {
        let url = freshAddress()
        let router = Router()
        router.register(service: Irg_V1_MotionTokenizer.serviceName)
        try TokenizerService(checkpoint: checkpoint).install(on: router)
        let server = try startServer([.listen(url)], router: router)
        return (server, try NngClient(dialing: [url]))
    }

    static func motion(features: NPYArray? = nil, joints: NPYArray? = nil) -> Irg_V1_Motion {
        .with {
            if let features { $0.features = TensorMessages.tensor(shape: features.shape, values: features.floats()) }
            if let joints { $0.joints = TensorMessages.tensor(shape: joints.shape, values: joints.floats()) }
        }
    }

    @Test func encodeDecodeInfo() async throws {
        let (server, client) = try Self.serve(checkpoint: Self.checkpoint)
        defer { client.close(); server.close() }
        let features = try NPYArray.read(Self.fixtures.appendingPathComponent("MotionTests/Fixtures/humanml3d/012314_vecs.npy"))
        let joints = try NPYArray.read(Self.fixtures.appendingPathComponent("MotionTests/Fixtures/humanml3d/012314_joints.npy"))
        let request = Irg_V1_EncodeRequest.with { $0.motions = [Self.motion(features: features), Self.motion(joints: joints)] }
        let encoded = try await client.call(Irg_V1_MotionTokenizer.encode, request)
        let codes = encoded.codes.map(\.codes)
        let expected = try NPYArray.read(Self.checkpoint.appendingPathComponent("012314_codes.npy")).int64s()
        #expect(codes[0] == expected.map { Int32($0) })
        #expect(codes[1].count == (joints.shape[0] - 1) / 4)  // T joint frames give T-1 feature frames

        let decoded = try await client.call(Irg_V1_MotionTokenizer.decode, .with { $0.codes = [encoded.codes[0]] })
        let motion = try #require(decoded.motions.first)
        let (shape, values) = try TensorMessages.floats(motion.features, field: "features")
        #expect(shape == [expected.count * 4, 263])
        let recon = try NPYArray.read(Self.checkpoint.appendingPathComponent("012314_recon.npy")).floats()
        #expect(zip(values, recon).map { abs($0 - $1) }.max()! < 1e-4)
        let (jointShape, _) = try TensorMessages.floats(motion.joints, field: "joints")
        #expect(jointShape == [expected.count * 4, 22, 3])

        let info = try await client.call(Irg_V1_MotionTokenizer.info, .init())
        #expect(info.codebookSize == 64 && info.codeDim == 32 && info.featureDim == 263)
        #expect(info.downsample == 4 && !info.checkpointID.isEmpty)
    }

    @Test func badInputIsInvalidArgumentAndTheServiceServesOn() async throws {
        let (server, client) = try Self.serve(checkpoint: Self.checkpoint)
        defer { client.close(); server.close() }
        func decode(_ codes: [Int32]) async -> StatusCode? {
            await failureCode {
                _ = try await client.call(Irg_V1_MotionTokenizer.decode, .with { $0.codes = [.with { $0.codes = codes }] })
            }
        }
        func encode(_ request: Irg_V1_EncodeRequest) async -> StatusCode? {
            await failureCode { _ = try await client.call(Irg_V1_MotionTokenizer.encode, request) }
        }
        func encodeRequest(shape: [Int], values: [Float]) -> Irg_V1_EncodeRequest {
            .with { $0.motions = [.with { $0.features = TensorMessages.tensor(shape: shape, values: values) }] }
        }
        #expect(await decode([1, 64]) == .invalidArgument, "code out of range")
        #expect(await decode([-1]) == .invalidArgument, "negative code")
        #expect(await decode([]) == .invalidArgument, "empty codes")
        let cases: [(String, Irg_V1_EncodeRequest)] = [
            ("wrong feature dims", encodeRequest(shape: [8, 251], values: .init(repeating: 0, count: 8 * 251))),
            ("NaN", encodeRequest(shape: [8, 263], values: [.nan] + .init(repeating: 0, count: 8 * 263 - 1))),
            ("too short", encodeRequest(shape: [3, 263], values: .init(repeating: 0, count: 3 * 263))),
            ("no motions", Irg_V1_EncodeRequest()),
            ("bytes not matching shape", encodeRequest(shape: [8, 263], values: .init(repeating: 0, count: 10))),
            ("a shape whose element count overflows", encodeRequest(shape: [1 << 62, 1 << 62], values: [0])),
        ]
        for (what, request) in cases {
            #expect(await encode(request) == .invalidArgument, "\(what)")
        }
        let info = try await client.call(Irg_V1_MotionTokenizer.info, .init())
        #expect(info.codebookSize == 64)
    }

    @Test func withoutACheckpointTheMethodsSaySo() async throws {
        let (server, client) = try Self.serve(checkpoint: nil)
        defer { client.close(); server.close() }
        await #expect(throws: RPCError(.failedPrecondition, "irg-tokenizer was started without --checkpoint DIR; no model is loaded")) {
            try await client.call(Irg_V1_MotionTokenizer.info, .init())
        }
    }
}
