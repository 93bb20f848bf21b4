import Foundation
import IRGEvaluation
import IRGMetrics
import IRGMotion
import IRGNumerics
import IRGProto
import IRGRPC

/// The evaluated model as the whole loop: each caption goes through
/// irg-orchestrator's Generate (any mode), so loops are measured by the same
/// protocol as single generations. All the requests of a batch are in flight at
/// once; the orchestrator spreads them over its workers.
///
/// Which motion counts (`take`): the reply's, the best round by the assessor's
/// reward (what a user gets; the reward uses an evaluator, so when it is the
/// benchmark's own evaluator the choice has seen the judge), or the final one,
/// as IRG-MotionLLM's evaluation takes it (the explicit loop's last round, the
/// native transcript's last motion; best-of-n has only the reward's choice).
public final class OrchestratorMotionSource: ServiceBackedMotionSource, @unchecked Sendable {
    let orchestrator: NngClient
    let tokenizer: NngClient
    let loop: Irg_V1_LoopOptions
    let take: Irg_V1_LoopTake
    let call: CallOptions
    public var attempts = 3

    public init(orchestrator: String, tokenizer: String, loop: Irg_V1_LoopOptions, take: Irg_V1_LoopTake,
                authToken: String? = nil, timeoutMilliseconds: Int64 = 3_600_000) throws {
        self.orchestrator = try NngClient(dialing: [orchestrator], authToken: authToken)
        self.tokenizer = try NngClient(dialing: [tokenizer], authToken: authToken)
        (self.loop, self.take) = (loop, take)
        call = CallOptions(timeoutMilliseconds: timeoutMilliseconds)
    }

    deinit { close() }

    public func close() {
        orchestrator.close()
        tokenizer.close()
    }

    public var samples: Bool { !loop.sampling.greedy }

    public func checkServing(timeoutMilliseconds: Int64 = 5_000) async throws {
        try await ServiceMotionDecoding.checkServing([("orchestrator", orchestrator, Irg_V1_MotionOrchestrator.serviceName),
                                                      ("tokenizer", tokenizer, Irg_V1_MotionTokenizer.serviceName)],
                                                     timeoutMilliseconds: timeoutMilliseconds)
    }

    public func motions(_ requests: [MotionRequest]) throws -> [MotionFeatures] {
        try waitFor {
            try await ServiceMotionDecoding(tokenizer: self.tokenizer, call: self.call)
                .features(for: requests) { try await self.codes(for: $0) }
        }
    }

    /// The taken motion's codes; a loop that made no motion is run again with another seed.
    private func codes(for request: MotionRequest) async throws -> Irg_V1_MotionCodes {
        var lastError = ""
        for attempt in 0..<attempts {
            var message = Irg_V1_OrchestrateRequest()
            message.text = request.caption
            message.options = loop
            message.options.skipJoints = true
            message.options.sampling.seed = request.seed &+ UInt64(attempt) << 48
            message.idempotencyKey = try Self.key(of: message)
            let reply = try await orchestrator.call(Irg_V1_MotionOrchestrator.generate, message, options: call)
            if let codes = Self.taken(reply, take: take), !codes.codes.isEmpty { return codes }
            lastError = reply.trace.last(where: { !$0.error.isEmpty })?.error ?? "no motion in the reply"
        }
        throw MetricError.invalid("the loop made no motion for '\(request.caption)' in \(attempts) attempts: \(lastError)")
    }

    /// The same caption, options and seed are the same loop: its key makes the
    /// orchestrator answer a repeat (the other take, a rerun after a crash) from its
    /// session store instead of running the loop again.
    static func key(of request: Irg_V1_OrchestrateRequest) throws -> String {
        "eval-" + String(fnv1a(try request.serializedBytes()), radix: 16)
    }

    static func taken(_ reply: Irg_V1_OrchestrateResponse, take: Irg_V1_LoopTake) -> Irg_V1_MotionCodes? {
        guard take == .final, reply.stopReason != "single" else { return reply.hasCodes ? reply.codes : nil }
        if reply.stopReason == "transcript", Int(reply.finalRound) < reply.trace.count {
            return reply.trace[Int(reply.finalRound)].codes
        }
        return reply.trace.last(where: { !$0.codes.codes.isEmpty })?.codes
    }
}
