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
public final class GeneratorMotionSource: ServiceBackedMotionSource, @unchecked Sendable {
    let generator: NngClient
    let tokenizer: NngClient
    /// GenerationOptions of every call; the seed is set per request.
    let options: Irg_V1_GenerationOptions
    let call: CallOptions
    public var maxFrames = 196
    public var attempts = 3

    public init(generator: String, tokenizer: String, options: Irg_V1_GenerationOptions, authToken: String? = nil,
                timeoutMilliseconds: Int64 = 3_600_000) throws {
        self.generator = try NngClient(dialing: [generator], authToken: authToken)
        self.tokenizer = try NngClient(dialing: [tokenizer], authToken: authToken)
        self.options = options
        call = CallOptions(timeoutMilliseconds: timeoutMilliseconds)
    }

    deinit { close() }

    public func close() {
        generator.close()
        tokenizer.close()
    }

    /// Greedy decoding gives one motion per caption whatever the seed.
    public var samples: Bool { !options.sampling.greedy }

    /// Fails fast, naming the service, when either one does not answer as SERVING.
    public func checkServing(timeoutMilliseconds: Int64 = 5_000) async throws {
        try await ServiceMotionDecoding.checkServing([("generator", generator, Irg_V1_MotionGenerator.serviceName),
                                                      ("tokenizer", tokenizer, Irg_V1_MotionTokenizer.serviceName)],
                                                     timeoutMilliseconds: timeoutMilliseconds)
    }

    public func motions(_ requests: [MotionRequest]) throws -> [MotionFeatures] {
        try waitFor {
            try await ServiceMotionDecoding(tokenizer: self.tokenizer, call: self.call, maxFrames: self.maxFrames)
                .features(for: requests) { try await self.codes(for: $0) }
        }
    }

    private func codes(for request: MotionRequest) async throws -> Irg_V1_MotionCodes {
        var lastError = ""
        for attempt in 0..<attempts {
            var message = Irg_V1_GenerateRequest()
            message.text = request.caption
            message.options = options
            message.options.sampling.seed = request.seed &+ UInt64(attempt) << 48
            let reply = try await generator.call(Irg_V1_MotionGenerator.generate, message, options: call)
            guard let sample = reply.samples.first else { throw RPCError(.internal, "the generator answered without a sample") }
            if !sample.codes.codes.isEmpty { return sample.codes }
            lastError = sample.error
        }
        throw MetricError.invalid("the generator made no motion for '\(request.caption)' in \(attempts) attempts: \(lastError)")
    }
}
