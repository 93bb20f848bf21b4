import CNng
import Foundation
import IRGProto
import Synchronization

/// How one call behaves.
public struct CallOptions: Sendable {
    /// Relative deadline; the server sees it as an absolute time.
    public var timeoutMilliseconds: Int64 = 30_000
    public var metadata: [String: String] = [:]
    /// Attempts for idempotent methods on UNAVAILABLE, and on RESOURCE_EXHAUSTED with a retry hint (1 = no retry).
    /// Methods without an idempotency option in the protos never retry.
    public var maxAttempts: Int = 4

    public init(timeoutMilliseconds: Int64 = 30_000, metadata: [String: String] = [:], maxAttempts: Int = 4) {
        self.timeoutMilliseconds = timeoutMilliseconds
        self.metadata = metadata
        self.maxAttempts = maxAttempts
    }
}

/// Calls services over an nng REQ socket: dialing one or several servers
/// (requests spread round-robin over whatever is connected), or listening
/// for workers that dial in (the pool mode).
///
/// nng's own REQ resend is turned off (resend time infinite): with it on,
/// one request could run several times. Deadlines and retries are done here,
/// and only idempotent methods are retried.
///
/// With `attemptMilliseconds` set, an idempotent call's attempt that gets no
/// reply in that time raises a suspicion of a hung peer: every peer is sent
/// Health, those that do not answer are disconnected (a worker comes back by
/// connecting again, which a stopped or cut-off one cannot do), and the call
/// is retried on the others. Each attempt carries its own deadline, so a
/// worker that wakes up drops the requests it was holding instead of running
/// them late.
public final class NngClient: @unchecked Sendable {
    public let endpoints: [Endpoint]
    /// The longest one attempt of an idempotent call waits for its reply; nil: the call's whole deadline.
    public let attemptMilliseconds: Int64?
    private var socket = nng_socket()
    private let authToken: String?
    private let maxMessageBytes: Int
    private let nextRequestID = Atomic<UInt64>(UInt64.random(in: 1...(1 << 40)))
    private let peers = PeerActivity()
    private let probing = Atomic<Bool>(false)
    private let closed = Atomic<Bool>(false)

    public init(_ endpoints: [Endpoint], authToken: String? = nil, maxMessageBytes: Int = 64 << 20, tls: TLSSettings = .processDefault,
                attemptMilliseconds: Int64? = nil) throws {
        self.endpoints = endpoints
        self.authToken = authToken ?? Self.defaultAuthToken
        self.maxMessageBytes = maxMessageBytes
        self.attemptMilliseconds = attemptMilliseconds
        try NngError.check(nng_req0_open(&socket), "open REQ socket")
        try NngError.check(nng_socket_set_ms(socket, NNG_OPT_REQ_RESENDTIME, nng_duration(NNG_DURATION_INFINITE)),
                           "turn off REQ resend")
        let onPipe: @convention(c) (nng_pipe, nng_pipe_ev, UnsafeMutableRawPointer?) -> Void = { pipe, event, arg in
            let client = Unmanaged<NngClient>.fromOpaque(arg!).takeUnretainedValue()
            if event == NNG_PIPE_EV_ADD_POST { client.peers.joined(pipe.id) } else { client.peers.left(pipe.id) }
        }
        let me = Unmanaged.passUnretained(self).toOpaque()
        nng_pipe_notify(socket, NNG_PIPE_EV_ADD_POST, onPipe, me)
        nng_pipe_notify(socket, NNG_PIPE_EV_REM_POST, onPipe, me)
        do {
            for endpoint in endpoints { try socket.attach(endpoint, maxMessageBytes: maxMessageBytes, tls: tls) }
        } catch {
            nng_close(socket)
            throw error
        }
    }

    private static let processAuthToken = Mutex<String?>(nil)

    /// The token a client sends when it is given none: a service sets its own
    /// (--auth-token-file or IRG_AUTH_TOKEN) at start, so the services it calls
    /// accept its calls as they accept its clients'.
    public static var defaultAuthToken: String? {
        get { processAuthToken.withLock { $0 } }
        set { processAuthToken.withLock { $0 = newValue } }
    }

    /// Convenience: dial these addresses.
    public convenience init(dialing urls: [String], authToken: String? = nil) throws {
        try self.init(urls.map { .dial($0) }, authToken: authToken)
    }

    deinit { close() }

    public func close() {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        if !socket.closeBounded() {
            FileHandle.standardError.write(Data("warning: nng_close did not return (nng issue 1543); socket abandoned\n".utf8))
        }
    }

    /// Servers (or workers) connected right now.
    public var connectedPipes: Int { peers.count }

    /// Waits until at least `count` peers are connected or the time is up.
    public func waitForPeers(_ count: Int = 1, timeoutMilliseconds: Int64) async -> Bool {
        let limit = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        while connectedPipes < count {
            if ContinuousClock.now >= limit { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// Calls `method` with a message; the reply is decoded as the method's output type.
    public func call(_ method: String, _ request: ProtoMessage, options: CallOptions = CallOptions()) async throws -> ProtoMessage {
        guard let descriptor = ProtoRegistry.method(named: method) else {
            throw RPCError(.unimplemented, "no method '\(method)' in Protos/")
        }
        let reply = try await call(method, payload: Data(try ProtoCodec.encode(request)), options: options)
        do {
            return try ProtoCodec.decode(Array(reply), as: descriptor.output)
        } catch {
            throw RPCError(.internal, "reply is not a valid \(descriptor.output.name)")
        }
    }

    /// Calls a generated method with its typed request; the reply is its typed response.
    public func call<Request, Response>(_ method: ProtoMethod<Request, Response>, _ request: Request,
                                        options: CallOptions = CallOptions()) async throws -> Response {
        let reply = try await call(method.name, payload: try request.serializedData(), options: options)
        do {
            return try Response(serializedData: reply)
        } catch {
            throw RPCError(.internal, "reply is not a valid \(Response.protoTypeName)")
        }
    }

    /// Calls `method` with raw payload bytes; throws `RPCError` for any status but OK.
    public func call(_ method: String, payload: Data, options: CallOptions = CallOptions()) async throws -> Data {
        let deadline = Deadline.after(milliseconds: options.timeoutMilliseconds)
        var metadata = options.metadata
        if let authToken, metadata["authorization"] == nil { metadata["authorization"] = authToken }
        let idempotent = ProtoRegistry.method(named: method)?.idempotent ?? false
        let attempts = idempotent ? max(1, options.maxAttempts) : 1
        var backoffMs: Int64 = 20
        for attempt in 1...attempts {
            let attemptDeadline = idempotent ? attemptMilliseconds.map { min(deadline, .after(milliseconds: $0)) } ?? deadline : deadline
            let request = Envelope(method: method, requestID: nextRequestID.add(1, ordering: .relaxed).newValue,
                                   deadline: attemptDeadline, metadata: metadata, payload: payload)
            do {
                return try await roundTrip(request, deadline: attemptDeadline)
            } catch let error as RPCError where error.code == .deadlineExceeded && attemptDeadline < deadline {
                await disconnectHungPeers(after: method)
                if attempt == attempts || deadline.hasPassed { throw error }
            } catch let error as RPCError where error.code == .unavailable && attempt < attempts {
                let pause = min(backoffMs, deadline.remainingMilliseconds - 1)
                if pause <= 0 { throw error }
                try await Task.sleep(for: .milliseconds(Int64.random(in: pause / 2...pause)))
                backoffMs *= 2
            } catch let error as RPCError where error.code == .resourceExhausted && attempt < attempts {
                // A server at its limit says when to come back; another worker of a pool may take it sooner.
                guard let hint = error.details[Dispatcher.retryAfterKey].flatMap(Int64.init) else { throw error }
                let pause = min(hint, deadline.remainingMilliseconds - 1)
                if pause <= 0 { throw error }
                try await Task.sleep(for: .milliseconds(Int64.random(in: pause / 2...pause)))
            }
        }
        preconditionFailure("unreachable: the last attempt returns or throws")
    }

    private func roundTrip(_ request: Envelope, deadline: Deadline) async throws -> Data {
        let msg = try makeNngMessage(request)
        let size = nng_msg_len(msg)
        if size + 4 > maxMessageBytes {  // nng counts the 4-byte REQ header too
            nng_msg_free(msg)
            throw RPCError(.resourceExhausted, "request of \(size) bytes exceeds the \(maxMessageBytes)-byte limit")
        }
        let exchange = try Exchange(socket: socket)
        defer { exchange.free() }
        let result = await exchange.run(msg, timeoutMilliseconds: deadline.remainingMilliseconds)
        switch result {
        case .success(let replyMsg):
            peers.heard(nng_msg_get_pipe(replyMsg.pointer).id)
            guard let reply = takeEnvelope(replyMsg.pointer) else {
                throw RPCError(.internal, "reply is not an irg.v1.Envelope")
            }
            if let status = reply.status, status.code != .ok { throw status }
            return reply.payload
        case .failure(let error) where error.code == NNG_ETIMEDOUT.code:
            if connectedPipes == 0 {
                throw RPCError(.unavailable, "no server connected at \(endpoints.map(\.url).joined(separator: ", "))")
            }
            throw RPCError(.deadlineExceeded, "no reply to \(request.method) before the deadline")
        case .failure(let error) where error.code == NNG_ECANCELED.code:
            throw RPCError(.cancelled, "\(request.method) was cancelled")
        case .failure(let error):
            throw RPCError(.unavailable, "\(request.method): \(error)")
        }
    }
}

extension NngClient {
    /// An attempt got no reply in its time. A peer silent since may be hung, or only idle
    /// (the others held every request), so each peer is asked: Health, sent twice as many
    /// times as there are peers (a REQ socket deals requests to its peers in turn), within
    /// the attempt time up to 2 s. Those that say nothing are disconnected; requests they
    /// hold fail at once with UNAVAILABLE and are retried. One probe runs at a time.
    private func disconnectHungPeers(after method: String) async {
        guard !probing.exchange(true, ordering: .acquiring) else { return }
        defer { probing.store(false, ordering: .releasing) }
        let probedAt = ContinuousClock.now
        let probe = CallOptions(timeoutMilliseconds: min(attemptMilliseconds ?? 2_000, 2_000), maxAttempts: 1)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<(2 * max(1, peers.count)) {
                group.addTask { _ = try? await self.call(Irg_V1_Health.check, .init(), options: probe) }
            }
        }
        let silent = peers.silent(since: probedAt)
        for pipe in silent { nng_pipe_close(nng_pipe(id: pipe)) }
        if !silent.isEmpty {
            FileHandle.standardError.write(Data("warning: no reply to \(method) within \(attemptMilliseconds ?? 0) ms; disconnected \(silent.count) peer(s) of \(endpoints.map(\.url).joined(separator: ", ")) that did not answer Health\n".utf8))
        }
    }
}

/// One request/reply on its own REQ context, driven by its aio callback.
private final class Exchange: @unchecked Sendable {
    private var ctx = nng_ctx()
    private var aio: OpaquePointer?
    private var sending = true
    private var deadline = ContinuousClock.now
    private var continuation: CheckedContinuation<Result<SendablePointer, NngError>, Never>?

    init(socket: nng_socket) throws {
        try NngError.check(nng_ctx_open(&ctx, socket), "open REQ context")
        let callback: @convention(c) (UnsafeMutableRawPointer?) -> Void = { arg in
            Unmanaged<Exchange>.fromOpaque(arg!).takeUnretainedValue().completed()
        }
        let error = nng_aio_alloc(&aio, callback, Unmanaged.passUnretained(self).toOpaque())
        if error != 0 {
            nng_ctx_close(ctx)
            throw NngError(error, "allocate aio")
        }
    }

    func run(_ msg: OpaquePointer, timeoutMilliseconds: Int64) async -> Result<SendablePointer, NngError> {
        guard timeoutMilliseconds > 0 else {
            nng_msg_free(msg)
            return .failure(NngError(NNG_ETIMEDOUT.code, "send"))
        }
        deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        setTimeout()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                self.continuation = continuation
                nng_aio_set_msg(aio, msg)
                nng_ctx_send(ctx, aio)
            }
        } onCancel: {
            nng_aio_cancel(aio)
        }
    }

    private func setTimeout() {
        let left = (deadline - ContinuousClock.now).components
        let ms = left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000
        nng_aio_set_timeout(aio, nng_duration(max(1, min(ms, Int64(Int32.max)))))
    }

    /// nng's callback: on send, arm the receive; on receive, resume the task.
    private func completed() {
        let result = nng_aio_result(aio)
        if sending {
            sending = false
            if result == 0 {
                setTimeout()  // the receive gets what is left, not a fresh timeout
                nng_ctx_recv(ctx, aio)
                return
            }
            if let unsent = nng_aio_get_msg(aio) { nng_msg_free(unsent) }
            continuation?.resume(returning: .failure(NngError(result, "send")))
            return
        }
        if result == 0, let msg = nng_aio_get_msg(aio) {
            continuation?.resume(returning: .success(SendablePointer(pointer: msg)))
        } else {
            continuation?.resume(returning: .failure(NngError(result, "receive")))
        }
    }

    /// Outside the callback: nng_aio_free waits for it to finish.
    func free() {
        nng_aio_free(aio)
        nng_ctx_close(ctx)
    }
}
