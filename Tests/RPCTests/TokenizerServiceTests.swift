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
        router.register(service: "irg.v1.MotionTokenizer")
        try TokenizerService(checkpoint: checkpoint).install(on: router)
        let server = try startServer([.listen(url)], router: router)
        return (server, try NngClient(dialing: [url]))
    }

    static func motion(features: NPYArray? = nil, joints: NPYArray? = nil) -> ProtoValue {
        var m = ProtoMessage(type: "irg.v1.Motion")
        if let features { m["features"] = .message(TensorMessages.tensor(shape: features.shape, values: features.floats())) }
        if let joints { m["joints"] = .message(TensorMessages.tensor(shape: joints.shape, values: joints.floats())) }
        return .message(m)
    }

    @Test func encodeDecodeInfo() async throws {
        let (server, client) = try Self.serve(checkpoint: Self.checkpoint)
        defer { client.close(); server.close() }
        let features = try NPYArray.read(Self.fixtures.appendingPathComponent("MotionTests/Fixtures/humanml3d/012314_vecs.npy"))
        let joints = try NPYArray.read(Self.fixtures.appendingPathComponent("MotionTests/Fixtures/humanml3d/012314_joints.npy"))
        var request = ProtoMessage(type: "irg.v1.EncodeRequest")
        request["motions"] = .list([Self.motion(features: features), Self.motion(joints: joints)])
        let encoded = try await client.call("irg.v1.MotionTokenizer/Encode", request)
        let codes = encoded.messages("codes").map { $0.list("codes") }
        let expected = try NPYArray.read(Self.checkpoint.appendingPathComponent("012314_codes.npy")).int64s()
        #expect(codes[0] == expected.map { .int($0) })
        #expect(codes[1].count == (joints.shape[0] - 1) / 4)  // T joint frames give T-1 feature frames

        var decode = ProtoMessage(type: "irg.v1.DecodeRequest")
        decode["codes"] = .list([encoded.messages("codes")[0]].map { .message($0) })
        let decoded = try await client.call("irg.v1.MotionTokenizer/Decode", decode)
        let motion = try #require(decoded.messages("motions").first)
        let (shape, values) = try TensorMessages.floats(motion.message("features"), field: "features")
        #expect(shape == [expected.count * 4, 263])
        let recon = try NPYArray.read(Self.checkpoint.appendingPathComponent("012314_recon.npy")).floats()
        #expect(zip(values, recon).map { abs($0 - $1) }.max()! < 1e-4)
        let (jointShape, _) = try TensorMessages.floats(motion.message("joints"), field: "joints")
        #expect(jointShape == [expected.count * 4, 22, 3])

        let info = try await client.call("irg.v1.MotionTokenizer/Info", ProtoMessage(type: "irg.v1.InfoRequest"))
        #expect(info.uint("codebook_size") == 64 && info.uint("code_dim") == 32 && info.uint("feature_dim") == 263)
        #expect(info.uint("downsample") == 4 && !info.string("checkpoint_id").isEmpty)
    }

    @Test func badInputIsInvalidArgumentAndTheServiceServesOn() async throws {
        let (server, client) = try Self.serve(checkpoint: Self.checkpoint)
        defer { client.close(); server.close() }
        func code(_ method: String, _ request: ProtoMessage) async -> StatusCode? {
            await failureCode { _ = try await client.call(method, request) }
        }
        func decodeRequest(_ codes: [Int64]) -> ProtoMessage {
            var m = ProtoMessage(type: "irg.v1.MotionCodes")
            m["codes"] = .list(codes.map { .int($0) })
            var r = ProtoMessage(type: "irg.v1.DecodeRequest")
            r["codes"] = .list([.message(m)])
            return r
        }
        func encodeRequest(shape: [Int], values: [Float]) -> ProtoMessage {
            var m = ProtoMessage(type: "irg.v1.Motion")
            m["features"] = .message(TensorMessages.tensor(shape: shape, values: values))
            var r = ProtoMessage(type: "irg.v1.EncodeRequest")
            r["motions"] = .list([.message(m)])
            return r
        }
        let cases: [(String, ProtoMessage)] = [
            ("code out of range", decodeRequest([1, 64])),
            ("negative code", decodeRequest([-1])),
            ("empty codes", decodeRequest([])),
            ("wrong feature dims", encodeRequest(shape: [8, 251], values: .init(repeating: 0, count: 8 * 251))),
            ("NaN", encodeRequest(shape: [8, 263], values: [.nan] + .init(repeating: 0, count: 8 * 263 - 1))),
            ("too short", encodeRequest(shape: [3, 263], values: .init(repeating: 0, count: 3 * 263))),
            ("no motions", ProtoMessage(type: "irg.v1.EncodeRequest")),
            ("bytes not matching shape", encodeRequest(shape: [8, 263], values: .init(repeating: 0, count: 10))),
        ]
        for (what, request) in cases {
            let method = request.typeName == "irg.v1.DecodeRequest" ? "irg.v1.MotionTokenizer/Decode" : "irg.v1.MotionTokenizer/Encode"
            #expect(await code(method, request) == .invalidArgument, "\(what)")
        }
        let info = try await client.call("irg.v1.MotionTokenizer/Info", ProtoMessage(type: "irg.v1.InfoRequest"))
        #expect(info.uint("codebook_size") == 64)
    }

    @Test func withoutACheckpointTheMethodsSaySo() async throws {
        let (server, client) = try Self.serve(checkpoint: nil)
        defer { client.close(); server.close() }
        await #expect(throws: RPCError(.failedPrecondition, "irg-tokenizer was started without --checkpoint DIR; no model is loaded")) {
            try await client.call("irg.v1.MotionTokenizer/Info", ProtoMessage(type: "irg.v1.InfoRequest"))
        }
    }
}
