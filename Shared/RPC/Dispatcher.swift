import Foundation
import IRGProto
import Logging
import Synchronization

/// The transport-agnostic core of a server: one request envelope in, one
/// reply envelope out. Auth, deadlines, routing, error mapping and stats
/// live here, so they are tested without a socket.
public final class Dispatcher: Sendable {
    public let options: ServerOptions
    public let stats = StatsRecorder()
    /// Backpressure: `contexts` requests at once, `maxQueued` waiting, the rest refused.
    public let gate: AdmissionGate
    let router: Router
    let logger: Logger
    private let serving = Atomic<Bool>(true)

    /// Health/Check answers without a secret so probes need none.
    static let unauthenticatedMethods: Set<String> = [Irg_V1_Health.check.name]

    public init(router: Router, options: ServerOptions, logger: Logger) {
        self.router = router
        self.options = options
        self.logger = logger
        gate = AdmissionGate(maxInFlight: options.contexts, maxQueued: options.maxQueued)
        BuiltinServices.install(on: router, dispatcher: self)
    }

    /// False while draining: Health says NOT_SERVING and new requests get UNAVAILABLE.
    public var isServing: Bool { serving.load(ordering: .relaxed) }
    public func stopServing() { serving.store(false, ordering: .relaxed) }

    /// Methods answered whatever the load, so probes and operators always get through.
    static func isControl(_ method: String) -> Bool {
        ["irg.v1.Health/", "irg.v1.Reflection/", "irg.v1.Admin/"].contains { method.hasPrefix($0) }
    }

    public func handle(_ request: Envelope) async -> Envelope {
        let start = ContinuousClock.now
        stats.begin()
        defer { stats.end() }
        let route = router.route(request.method)
        let result: Result<Data, RPCError>
        let gated = !Self.isControl(request.method)
        switch gated ? await gate.enter() : .admitted {
        case .admitted:
            let admitted = ContinuousClock.now
            result = await run(request, route)
            if gated { gate.leave(milliseconds: (ContinuousClock.now - admitted).milliseconds) }
        case .refused(let retryAfter):
            result = .failure(RPCError(.resourceExhausted,
                "\(options.name) is at its limit (\(gate.maxInFlight) requests running, \(gate.maxQueued) waiting); retry after \(retryAfter) ms",
                details: [Self.retryAfterKey: String(retryAfter)]))
        }
        let ms = (ContinuousClock.now - start).milliseconds
        let code: StatusCode
        if case .failure(let e) = result { code = e.code } else { code = .ok }
        // Unknown methods are counted too, under one name, so garbage cannot grow the table.
        stats.record(method: route == nil ? "<unknown>" : request.method,
                     code: code, milliseconds: ms)
        if code == .internal || code == .unknown, case .failure(let e) = result {
            logger.error("\(request.method) failed: \(e.message)", metadata: ["request_id": "\(request.requestID)"])
        }
        var reply = request.reply(result)
        if case .failure(let error) = result, let hint = error.details[Self.retryAfterKey] { reply.metadata[Self.retryAfterKey] = hint }
        return reply
    }

    /// The retry hint of a refusal, in the status details and the reply's metadata (milliseconds).
    public static let retryAfterKey = "retry-after-ms"

    /// `route` is looked up once by `handle`, which also counts the call under it.
    private func run(_ request: Envelope, _ route: Router.Route?) async -> Result<Data, RPCError> {
        guard let route else {
            return .failure(RPCError(.unimplemented, "unknown method '\(request.method)'",
                                     details: ["method": request.method]))
        }
        if let token = options.authToken, !Dispatcher.unauthenticatedMethods.contains(request.method),
           !constantTimeEqual(request.metadata["authorization"] ?? "", token) {
            return .failure(RPCError(.unauthenticated, "missing or wrong 'authorization' metadata"))
        }
        if let deadline = request.deadline, deadline.hasPassed {
            return .failure(RPCError(.deadlineExceeded, "deadline passed before \(request.method) started"))
        }
        if !isServing && request.method != Irg_V1_Health.check.name {
            return .failure(RPCError(.unavailable, "\(options.name) is shutting down"))
        }
        let context = CallContext(method: request.method, requestID: request.requestID,
                                  deadline: request.deadline, metadata: request.metadata)
        do {
            // Non-inline handlers run on the global executor, Swift's small
            // cooperative pool: a handler that computes for long (a model
            // forward pass) must run that work on threads of its own and await it.
            let payload = route.inline
                ? try await route.handler(request.payload, context)
                : try await withTaskExecutorPreference(globalConcurrentExecutor) {
                    try await route.handler(request.payload, context)
                }
            if let deadline = request.deadline, deadline.hasPassed {
                return .failure(RPCError(.deadlineExceeded, "deadline passed while handling \(request.method)"))
            }
            return .success(payload)
        } catch let error as RPCError {
            return .failure(error)
        } catch {
            return .failure(RPCError(.internal, "\(error)"))
        }
    }
}

/// Compares secrets in time that depends only on their lengths.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var difference = UInt8(x.count == y.count ? 0 : 1)
    for i in 0..<max(x.count, y.count) {
        difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
    }
    return difference == 0
}
