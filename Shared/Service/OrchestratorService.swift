import Foundation
import IRGConversation
import IRGOrchestration
import IRGProto
import IRGRPC
import Synchronization

/// irg.v1.MotionOrchestrator: Generate runs the loop (Shared/Orchestration)
/// against the generator, tokenizer and assessor clients, each of which may
/// be a pool; every Generate is a session in the SQLite file (docs/loop.md).
public final class OrchestratorService: Sendable {
    public struct Clients: Sendable {
        public let generator: NngClient, tokenizer: NngClient, assessor: NngClient
        public init(generator: NngClient, tokenizer: NngClient, assessor: NngClient) {
            (self.generator, self.tokenizer, self.assessor) = (generator, tokenizer, assessor)
        }
    }

    let clients: Clients
    let store: SessionStore
    let planner: any Planner
    /// Loops running now, by idempotency key: a second Generate with the key waits for the first.
    let running = KeyedWork<Irg_V1_OrchestrateResponse>()
    /// Converse turns running now, by idempotency key.
    let runningTurns = KeyedWork<Irg_V1_ConverseResponse>()
    /// Turns on one session run one at a time.
    let sessionTurns = KeyedSerialQueue()
    /// Loops (Generate, Converse) running at once; one over the bound is refused with a retry hint.
    let loops: AdmissionGate

    public init(clients: Clients, sessions path: String, planner: any Planner = BuiltinPlanner(), maxLoops: Int = 32) throws {
        self.clients = clients
        self.planner = planner
        loops = AdmissionGate(maxInFlight: maxLoops, maxQueued: 0)
        store = try SessionStore(path: path)
        try store.markInterrupted()
    }

    public func install(on router: Router) {
        router.implement(Irg_V1_MotionOrchestrator.generate) { [self] request, context in
            try await bounded { try await generate(request, context: context) }
        }
        router.implement(Irg_V1_MotionOrchestrator.converse) { [self] request, context in
            try await bounded { try await converse(request, context: context) }
        }
        router.implement(Irg_V1_MotionOrchestrator.getSession) { [self] request, _ in
            if !request.idempotencyKey.isEmpty {
                guard let (id, _) = try store.turn(idempotencyKey: request.idempotencyKey), let session = try store.session(id) else {
                    throw RPCError(.notFound, "no session for idempotency key '\(request.idempotencyKey)'")
                }
                return session
            }
            guard let session = try store.session(request.sessionID) else {
                throw RPCError(.notFound, "no session '\(request.sessionID)'")
            }
            return session
        }
        router.implement(Irg_V1_MotionOrchestrator.listSessions) { [self] request, _ in
            guard request.pageSize <= 1000 else { throw RPCError(.invalidArgument, "page_size must be at most 1000") }
            guard request.pageToken.isEmpty || Int(request.pageToken) != nil else {
                throw RPCError(.invalidArgument, "page_token '\(request.pageToken)' is not one ListSessions gave")
            }
            return try store.list(pageSize: request.pageSize == 0 ? 50 : Int(request.pageSize), pageToken: request.pageToken)
        }
    }

    func generate(_ request: Irg_V1_OrchestrateRequest, context: CallContext) async throws -> Irg_V1_OrchestrateResponse {
        guard !request.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RPCError(.invalidArgument, "text is empty")
        }
        return try await running.run(request.idempotencyKey) { [self] in
            let key = request.idempotencyKey
            var resume: (session: String, turn: Irg_V1_Turn)?
            if !key.isEmpty, let (session, turn) = try store.turn(idempotencyKey: key) {
                if turn.state == "done" { return try await response(turn, session: session, skipJoints: turn.options.skipJoints) }
                resume = (session, turn)  // interrupted or failed: go on from its last finished round
            }
            let settings = try LoopSettings(resume?.turn.options ?? request.options)
            try await checkConnected()
            return try await run(request, settings: settings, services: downstream(context), resume: resume)
        }
    }

    private func run(_ request: Irg_V1_OrchestrateRequest, settings: LoopSettings, services: Downstream,
                     resume: (session: String, turn: Irg_V1_Turn)?) async throws -> Irg_V1_OrchestrateResponse {
        var turn = resume?.turn ?? .with {
            $0.userMessage = request.text
            $0.options = settings.stored(request.options)
            $0.idempotencyKey = request.idempotencyKey
        }
        turn.state = "running"
        let session = try resume?.session ?? store.create(turn)
        if resume != nil { try store.update(turn, session: session) }
        let snapshot = Mutex(turn)
        let loop = MotionLoop(text: turn.userMessage, settings: settings, services: services) { [store] rounds in
            let updated = snapshot.withLock { t -> Irg_V1_Turn in
                t.rounds = rounds
                return t
            }
            try store.update(updated, session: session)
        }
        do {
            let outcome = try await loop.run(resuming: turn.rounds)
            turn = snapshot.withLock { $0 }
            turn.rounds = outcome.rounds
            turn.stopReason = outcome.stopReason
            turn.state = "done"
            if let best = outcome.best {
                turn.bestRound = UInt32(best)
                turn.codes = outcome.rounds[best].codes
            }
            try store.update(turn, session: session)
            var reply = try await response(turn, session: session, skipJoints: turn.options.skipJoints)
            if let final = outcome.finalRound { reply.finalRound = UInt32(final) }
            return reply
        } catch {
            turn = snapshot.withLock { $0 }
            turn.state = "failed"
            let status = error as? RPCError ?? RPCError(.internal, "\(error)")
            turn.error = .with {
                $0.code = Irg_V1_Code(rawValue: status.code.rawValue)
                $0.message = status.message
            }
            try? store.update(turn, session: session)
            throw status
        }
    }

    /// Runs a loop within the `--max-loops` bound, or refuses it with a retry hint.
    func bounded<T>(_ loop: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        if case .refused(let retryAfter) = await loops.enter() {
            throw RPCError(.resourceExhausted, "\(loops.maxInFlight) loops are running, the orchestrator's limit (--max-loops); retry after \(retryAfter) ms",
                           details: [Dispatcher.retryAfterKey: String(retryAfter)])
        }
        defer { loops.leave(milliseconds: (ContinuousClock.now - start).milliseconds) }
        return try await loop()
    }

    /// The downstream clients under a request's deadline, passing its auth token on.
    func downstream(_ context: CallContext?) -> Downstream {
        Downstream(generator: clients.generator, tokenizer: clients.tokenizer, assessor: clients.assessor,
                   deadline: context?.deadline, metadata: context?.metadata.filter { $0.key == "authorization" } ?? [:])
    }

    /// The reply for a finished turn: its best round decoded by the tokenizer.
    private func response(_ turn: Irg_V1_Turn, session: String, skipJoints: Bool) async throws -> Irg_V1_OrchestrateResponse {
        var reply = Irg_V1_OrchestrateResponse()
        reply.sessionID = session
        reply.trace = turn.rounds
        reply.stopReason = turn.stopReason
        reply.bestRound = turn.bestRound
        if turn.stopReason == "transcript", let final = turn.rounds.lastIndex(where: { !$0.codes.codes.isEmpty }) {
            reply.finalRound = UInt32(final)  // native: the transcript's last motion, also for a stored turn
        }
        guard !turn.codes.codes.isEmpty else { return reply }  // no round made a motion: the trace says why
        reply.codes = turn.codes
        (reply.motion, reply.calls) = try await decoded(turn.codes, skipJoints: skipJoints)
        return reply
    }

    func decoded(_ codes: Irg_V1_MotionCodes, skipJoints: Bool) async throws -> (Irg_V1_Motion, [Irg_V1_CallTiming]) {
        let services = downstream(nil)
        let (decoded, timing) = try await services.call(clients.tokenizer, Irg_V1_MotionTokenizer.decode, .with {
            $0.codes = [codes]
            $0.skipJoints = skipJoints
        })
        return (decoded.motions[0], [timing])
    }

    /// A role with no worker connected is UNAVAILABLE at once, naming it (after
    /// a short wait: dialers connect a moment after start).
    func checkConnected() async throws {
        for (name, client) in [("generator", clients.generator), ("tokenizer", clients.tokenizer), ("assessor", clients.assessor)] {
            if client.connectedPipes == 0, !(await client.waitForPeers(timeoutMilliseconds: 2_000)) {
                throw RPCError(.unavailable, "no \(name) is connected (\(client.endpoints.map(\.url).joined(separator: ", ")))")
            }
        }
    }
}
