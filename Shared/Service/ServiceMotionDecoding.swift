import IRGEvaluation
import IRGMotion
import IRGProto
import IRGRPC

/// A motion source backed by services: asked whether they answer before a run, closed after.
public protocol ServiceBackedMotionSource: MotionSource {
    func checkServing(timeoutMilliseconds: Int64) async throws
    func close()
}

/// What the service-backed motion sources share: codes decoded into features by
/// irg-tokenizer, motions cut to the protocol's 196 frames (as T2M-GPT's
/// evaluation does), and a fail-fast check that each service is SERVING.
struct ServiceMotionDecoding {
    let tokenizer: NngClient
    let call: CallOptions
    var maxFrames = 196

    /// Every request's codes asked for at once (so the servers batch them), then
    /// decoded in one call, in the requests' order.
    func features(for requests: [MotionRequest],
                  codes: @escaping @Sendable (MotionRequest) async throws -> Irg_V1_MotionCodes) async throws -> [MotionFeatures] {
        let all = try await withThrowingTaskGroup(of: (Int, Irg_V1_MotionCodes).self) { group in
            for (i, request) in requests.enumerated() { group.addTask { (i, try await codes(request)) } }
            var all = [Irg_V1_MotionCodes](repeating: .init(), count: requests.count)
            for try await (i, c) in group { all[i] = c }
            return all
        }
        return try await features(all)
    }

    func features(_ codes: [Irg_V1_MotionCodes]) async throws -> [MotionFeatures] {
        let request = Irg_V1_DecodeRequest.with {
            $0.codes = codes
            $0.skipJoints = true
        }
        let motions = try await tokenizer.call(Irg_V1_MotionTokenizer.decode, request, options: call).motions
        guard motions.count == codes.count else { throw RPCError(.internal, "the tokenizer decoded \(motions.count) of \(codes.count) motions") }
        return try motions.enumerated().map { i, motion in cut(try TensorMessages.features(of: motion, index: i, dim: 263)) }
    }

    func cut(_ features: MotionFeatures) -> MotionFeatures {
        guard features.frames > maxFrames else { return features }
        return MotionFeatures(frames: maxFrames, dim: features.dim, values: Array(features.values.prefix(maxFrames * features.dim)))
    }

    /// Fails fast, naming the service, when one does not answer as SERVING.
    static func checkServing(_ services: [(name: String, client: NngClient, service: String)],
                             timeoutMilliseconds: Int64) async throws {
        for (name, client, service) in services {
            let address = client.endpoints.map(\.url).joined(separator: ", ")
            let status: String
            do {
                status = try await client.healthStatus(service: service, timeoutMilliseconds: timeoutMilliseconds)
            } catch {
                throw RPCError(.unavailable, "the \(name) at \(address) does not answer: \(error)")
            }
            guard status == "SERVING" else { throw RPCError(.unavailable, "the \(name) at \(address) is \(status)") }
        }
    }
}
