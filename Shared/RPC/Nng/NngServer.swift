import CNng
import Foundation
import Logging
import Synchronization

/// Serves a `Dispatcher` on an nng REP socket with one context per request
/// in flight. Each context is a small state machine driven by its aio
/// callback; callbacks only re-arm nng or hand off to a Swift task, never
/// block (nng issues 1721, 1313, 1138, 1543).
public final class NngServer: @unchecked Sendable {
    public let dispatcher: Dispatcher
    private var socket = nng_socket()
    private var contexts: [ServerContext] = []
    private let draining = Atomic<Bool>(false)
    /// Set once close() begins. Every nng call on a context runs under this lock
    /// and only while it is false, so none starts once the socket is being
    /// closed: nng 1.5.2 can still find a context of a socket nng_close has
    /// torn down, and sending on it then panics on the socket's freed lock.
    private let closing = Mutex<Bool>(false)

    public init(dispatcher: Dispatcher) {
        self.dispatcher = dispatcher
    }

    /// Opens the socket, attaches every endpoint and starts receiving.
    /// `.listen` serves clients that dial in; `.dial` joins a worker pool
    /// whose client listens.
    public func start(_ endpoints: [Endpoint], tls: TLSSettings = .processDefault) throws {
        try NngError.check(nng_rep0_open(&socket), "open REP socket")
        for _ in 0..<dispatcher.options.receivingContexts {
            contexts.append(try ServerContext(server: self, socket: socket))
        }
        do {
            for endpoint in endpoints {
                try socket.attach(endpoint, maxMessageBytes: dispatcher.options.maxMessageBytes, tls: tls)
            }
        } catch {
            close()
            throw error
        }
        contexts.forEach { $0.receive() }
        dispatcher.logger.info("\(dispatcher.options.name) serving",
                               metadata: ["endpoints": "\(endpoints.map(\.url))"])
    }

    var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// Graceful shutdown: stops taking work (new requests get UNAVAILABLE,
    /// health says NOT_SERVING), waits for in-flight requests up to the
    /// drain timeout, then closes.
    public func drain() async {
        dispatcher.stopServing()
        draining.store(true, ordering: .relaxed)
        let limit = ContinuousClock.now + .milliseconds(Int(dispatcher.options.drainTimeoutSeconds * 1000))
        while contexts.contains(where: \.isBusy) && ContinuousClock.now < limit {
            try? await Task.sleep(for: .milliseconds(5))
        }
        close()
    }

    /// Closes the socket at once; replies of requests still in flight have
    /// nowhere to go. A context's aio is freed only once it is idle (after
    /// nng_close every operation ends with NNG_ECLOSED), because a handler
    /// still running would otherwise send on a freed aio. A context whose
    /// handler outlives the drain timeout is left allocated, not freed.
    public func close() {
        let wasClosing = closing.withLock { closing in
            defer { closing = true }
            return closing
        }
        guard !wasClosing else { return }
        guard socket.closeBounded() else {
            dispatcher.logger.error("nng_close did not return (nng issue 1543); contexts left allocated")
            return
        }
        let limit = ContinuousClock.now + .milliseconds(Int(dispatcher.options.drainTimeoutSeconds * 1000))
        while contexts.contains(where: { !$0.isIdle }) && ContinuousClock.now < limit {
            Thread.sleep(forTimeInterval: 0.001)
        }
        let stuck = contexts.filter { !$0.isIdle }
        contexts.filter(\.isIdle).forEach { $0.free() }
        if !stuck.isEmpty {
            dispatcher.logger.warning("\(stuck.count) handlers still running at close; their contexts are not freed")
        }
        dispatcher.logger.info("\(dispatcher.options.name) closed")
    }

    /// Runs `operation`, one non-blocking nng call on a context, unless the
    /// server is closing; whether it ran.
    func whileOpen(_ operation: () -> Void) -> Bool {
        closing.withLock { closing in
            guard !closing else { return false }
            operation()
            return true
        }
    }

    func log(malformed reason: String) {
        dispatcher.stats.recordMalformed()
        dispatcher.logger.warning("dropped a message that is not an Envelope: \(reason)")
    }
}

/// One REP context: receive -> dispatch in a task -> send -> receive again.
final class ServerContext: @unchecked Sendable {
    private enum State { case idle, receiving, working, sending }

    private unowned let server: NngServer
    private var ctx = nng_ctx()
    private var aio: OpaquePointer?
    private let state = Mutex<State>(.idle)

    init(server: NngServer, socket: nng_socket) throws {
        self.server = server
        try NngError.check(nng_ctx_open(&ctx, socket), "open REP context")
        let callback: @convention(c) (UnsafeMutableRawPointer?) -> Void = { arg in
            Unmanaged<ServerContext>.fromOpaque(arg!).takeUnretainedValue().completed()
        }
        try NngError.check(nng_aio_alloc(&aio, callback, Unmanaged.passUnretained(self).toOpaque()),
                           "allocate aio")
    }

    var isBusy: Bool { state.withLock { $0 == .working || $0 == .sending } }
    /// No operation pending and no task running: safe to free.
    var isIdle: Bool { state.withLock { $0 == .idle } }

    func receive() {
        state.withLock { $0 = .receiving }
        if !server.whileOpen({ nng_ctx_recv(ctx, aio) }) { state.withLock { $0 = .idle } }
    }

    /// nng's callback: runs on nng's thread.
    private func completed() {
        let result = nng_aio_result(aio)
        let previous = state.withLock { $0 }
        switch previous {
        case .receiving:
            if result == NNG_ECLOSED.code || result == NNG_ECANCELED.code {
                state.withLock { $0 = .idle }
                return
            }
            guard result == 0, let msg = nng_aio_get_msg(aio) else {
                receive()  // a transient receive error: keep serving
                return
            }
            state.withLock { $0 = .working }
            let request = SendablePointer(pointer: msg)
            // Starts on this callback thread: decoding and routing are cheap,
            // and the dispatcher hops to the global executor for any handler
            // that is not marked inline, so the callback never blocks.
            Task.immediate { await self.serve(request) }
        case .sending:
            if result != 0, let unsent = nng_aio_get_msg(aio) {
                nng_msg_free(unsent)  // the client went away; the reply has nowhere to go
            }
            if server.isDraining || result == NNG_ECLOSED.code {
                state.withLock { $0 = .idle }
            } else {
                receive()
            }
        case .idle, .working:
            break
        }
    }

    private func serve(_ request: SendablePointer) async {
        guard let envelope = takeEnvelope(request.pointer) else {
            server.log(malformed: "bytes do not parse as irg.v1.Envelope")
            reply(Envelope(method: "", requestID: 0,
                           status: RPCError(.invalidArgument, "message is not an irg.v1.Envelope")))
            return
        }
        let reply = await server.dispatcher.handle(envelope)
        if Self.callerStoppedWaiting(envelope, reply) {
            receive()
            return
        }
        self.reply(reply)
    }

    /// A request that ran out of time before or while it was handled: its caller's own timer
    /// fired at that deadline, so no one reads the DEADLINE_EXCEEDED reply (Admin/Stats counts it).
    /// Not sending it matters after a hang: a worker that wakes to a backlog of stale requests
    /// from a peer that has hung up would otherwise write into the dead connection while reading
    /// the backlog, which trips a hang in nng 1.5's TCP teardown (docs/rpc.md, "Hung workers").
    static func callerStoppedWaiting(_ request: Envelope, _ reply: Envelope) -> Bool {
        reply.status?.code == .deadlineExceeded && request.deadline?.hasPassed == true
    }

    private func reply(_ envelope: Envelope) {
        let msg: OpaquePointer
        do {
            msg = try makeNngMessage(envelope)
        } catch {
            server.dispatcher.logger.error("cannot build reply: \(error)")
            receive()
            return
        }
        state.withLock { $0 = .sending }
        nng_aio_set_msg(aio, msg)
        if !server.whileOpen({ nng_ctx_send(ctx, aio) }) {  // closed while the handler ran: nowhere to send
            nng_aio_set_msg(aio, nil)
            nng_msg_free(msg)
            state.withLock { $0 = .idle }
        }
    }

    /// After the socket is closed: waits for a running callback, then frees.
    func free() {
        nng_aio_free(aio)
    }
}
