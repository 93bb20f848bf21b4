import Foundation
import IRGProto
import IRGRPC

/// The services a loop calls, each a client that may reach a pool of
/// workers, and the request's deadline: every call gets what remains of it,
/// and is timed for the trace. Idempotent calls (all of these) are retried by
/// the client on UNAVAILABLE within that time, on whichever worker answers.
public struct Downstream: Sendable {
    public let generator: NngClient
    public let tokenizer: NngClient
    public let assessor: NngClient
    public let deadline: Deadline?
    public let metadata: [String: String]

    /// The longest a call may take when the request set no deadline.
    public static let defaultCallMilliseconds: Int64 = 600_000

    public init(generator: NngClient, tokenizer: NngClient, assessor: NngClient, deadline: Deadline?, metadata: [String: String] = [:]) {
        (self.generator, self.tokenizer, self.assessor) = (generator, tokenizer, assessor)
        (self.deadline, self.metadata) = (deadline, metadata)
    }

    /// One call and its timing; past the deadline it is DEADLINE_EXCEEDED before it is sent.
    public func call<Request, Response>(_ client: NngClient, _ method: ProtoMethod<Request, Response>, _ request: Request)
        async throws -> (Response, Irg_V1_CallTiming) {
        let remaining = deadline?.remainingMilliseconds ?? Self.defaultCallMilliseconds
        guard remaining > 0 else { throw RPCError(.deadlineExceeded, "the request's deadline passed before \(method.name)") }
        let start = ContinuousClock.now
        let reply = try await client.call(method, request, options: CallOptions(timeoutMilliseconds: remaining, metadata: metadata))
        let timing = Irg_V1_CallTiming.with {
            $0.method = method.name
            $0.elapsedMs = (ContinuousClock.now - start).milliseconds
        }
        return (reply, timing)
    }
}
