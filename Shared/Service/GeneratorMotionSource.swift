import Foundation
import IRGEvaluation
import IRGMetrics
import IRGMotion
import IRGProto
import IRGRPC

/// The evaluated model as services: irg-generator's Generate makes codes for
/// each caption and irg-tokenizer's Decode turns them into features. All the
/// requests of a batch are in flight at once, so the generator batches them.
///
/// Decisions: a motion longer than the protocol's 196 frames is cut to 196 as
/// T2M-GPT's evaluation does; a reply without a motion span is asked again
/// with another seed (up to `attempts` times) and then fails the run naming
/// the caption, since dropping or replacing it would bias every metric.
public final class GeneratorMotionSource: MotionSource, @unchecked Sendable {
    let generator: NngClient
    let tokenizer: NngClient
    /// GenerationOptions of every call; the seed is set per request.
    let options: ProtoMessage
    let call: CallOptions
    public var maxFrames = 196
    public var attempts = 3

    public init(generator: String, tokenizer: String, options: ProtoMessage?, authToken: String? = nil,
                timeoutMilliseconds: Int64 = 3_600_000) throws {
        self.generator = try NngClient(dialing: [generator], authToken: authToken)
        self.tokenizer = try NngClient(dialing: [tokenizer], authToken: authToken)
        self.options = options ?? ProtoMessage(type: "irg.v1.GenerationOptions")
        call = CallOptions(timeoutMilliseconds: timeoutMilliseconds)
    }

    deinit { close() }

    public func close() {
        generator.close()
        tokenizer.close()
    }

    /// Greedy decoding gives one motion per caption whatever the seed.
    public var samples: Bool { !(options.message("sampling")?.bool("greedy") ?? false) }

    /// Fails fast, naming the service, when either one does not answer as SERVING.
    public func checkServing(timeoutMilliseconds: Int64 = 5_000) async throws {
        for (name, client, service) in [("generator", generator, "irg.v1.MotionGenerator"), ("tokenizer", tokenizer, "irg.v1.MotionTokenizer")] {
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

    public func motions(_ requests: [MotionRequest]) throws -> [MotionFeatures] {
        try waitFor { try await self.make(requests) }
    }

    private func make(_ requests: [MotionRequest]) async throws -> [MotionFeatures] {
        let codes = try await withThrowingTaskGroup(of: (Int, [ProtoValue]).self) { group in
            for (i, request) in requests.enumerated() { group.addTask { (i, try await self.codes(for: request)) } }
            var codes = [[ProtoValue]](repeating: [], count: requests.count)
            for try await (i, c) in group { codes[i] = c }
            return codes
        }
        return try await decode(codes)
    }

    private func codes(for request: MotionRequest) async throws -> [ProtoValue] {
        var lastError = ""
        for attempt in 0..<attempts {
            var sampling = options.message("sampling") ?? ProtoMessage(type: "irg.v1.SamplingParams")
            sampling["seed"] = .uint(request.seed &+ UInt64(attempt) << 48)
            var callOptions = options
            callOptions["sampling"] = .message(sampling)
            var message = ProtoMessage(type: "irg.v1.GenerateRequest")
            message["text"] = .string(request.caption)
            message["options"] = .message(callOptions)
            let reply = try await generator.call("irg.v1.MotionGenerator/Generate", message, options: call)
            guard let sample = reply.messages("samples").first else { throw RPCError(.internal, "the generator answered without a sample") }
            let codes = sample.message("codes")?.list("codes") ?? []
            if !codes.isEmpty { return codes }
            lastError = sample.string("error")
        }
        throw MetricError.invalid("the generator made no motion for '\(request.caption)' in \(attempts) attempts: \(lastError)")
    }

    private func decode(_ codes: [[ProtoValue]]) async throws -> [MotionFeatures] {
        var request = ProtoMessage(type: "irg.v1.DecodeRequest")
        request["codes"] = .list(codes.map { sequence in
            var m = ProtoMessage(type: "irg.v1.MotionCodes")
            m["codes"] = .list(sequence)
            return .message(m)
        })
        request["skip_joints"] = .bool(true)
        let motions = try await tokenizer.call("irg.v1.MotionTokenizer/Decode", request, options: call).messages("motions")
        guard motions.count == codes.count else { throw RPCError(.internal, "the tokenizer decoded \(motions.count) of \(codes.count) motions") }
        return try motions.enumerated().map { i, motion in
            let features = try TensorMessages.features(of: motion, index: i, dim: 263)
            guard features.frames > maxFrames else { return features }
            return MotionFeatures(frames: maxFrames, dim: features.dim, values: Array(features.values.prefix(maxFrames * features.dim)))
        }
    }
}
