import CNng
import Foundation
import IRGProto
@testable import IRGRPC
import Logging
import Synchronization

let addressCounter = Atomic<Int>(0)

/// A fresh address per test, so tests run in parallel without clashing.
/// TCP ports stay in 10000-31999, below Linux's ephemeral range (32768 up):
/// a port there can be any client connection's source port at that moment,
/// and listening on it then fails with "Address in use".
func freshAddress(_ transport: String = "ipc") -> String {
    let n = addressCounter.add(1, ordering: .relaxed).newValue
    switch transport {
    case "tcp": return "tcp://127.0.0.1:\(10_000 + Int(getpid() % 275) * 80 + n % 80)"
    case "inproc": return "inproc://irg-test-\(n)"
    default: return "ipc://\(NSTemporaryDirectory())irg-test-\(getpid())-\(n).ipc"
    }
}

let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Test behaviours on real methods of the API (the router serves only those).
enum TestMethods {
    /// Sleeps for metadata "sleep-ms", then replies InfoResponse with checkpoint_id = worker name.
    static let slow = Irg_V1_MotionTokenizer.info
    /// Idempotent; see `flaky`.
    static let idempotent = Irg_V1_MotionTokenizer.decode
    /// Not idempotent (StartJob starts a new job every call).
    static let nonIdempotent = Irg_V1_MotionEvaluator.startJob
}

/// A count shared by concurrent tasks.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    @discardableResult func increment() -> Int { count.add(1, ordering: .relaxed).newValue }
}

/// Counts calls; throws UNAVAILABLE for the first `failures` calls.
final class FlakyHandler: Sendable {
    let calls = Counter()
    let failures: Int
    init(failures: Int) { self.failures = failures }

    func handle(_ payload: Data) throws -> Data {
        let n = calls.increment()
        if n <= failures { throw RPCError(.unavailable, "try again (call \(n))") }
        return Data()
    }
}

func makeRouter(worker: String = "w", flaky: FlakyHandler? = nil) -> Router {
    let router = Router()
    router.register(service: Irg_V1_MotionTokenizer.serviceName)
    router.register(service: Irg_V1_MotionEvaluator.serviceName)
    router.implement(TestMethods.slow) { _, context in
        let ms = Int(context.metadata["sleep-ms"] ?? "0") ?? 0
        if ms > 0 { try await Task.sleep(for: .milliseconds(ms)) }
        return .with { $0.checkpointID = worker }
    }
    if let flaky {
        router.implement(TestMethods.idempotent, raw: { payload, _ in try flaky.handle(payload) })
        router.implement(TestMethods.nonIdempotent, raw: { payload, _ in try flaky.handle(payload) })
    }
    return router
}

func startServer(_ endpoints: [Endpoint], router: Router = makeRouter(), configure: (inout ServerOptions) -> Void = { _ in })
    throws -> NngServer {
    var options = ServerOptions(name: "irg-test")
    options.drainTimeoutSeconds = 5
    configure(&options)
    let server = NngServer(dispatcher: Dispatcher(router: router, options: options, logger: quietLogger))
    try server.start(endpoints)
    return server
}

/// Polls `condition` until it holds or `timeoutMs` passes; tests wait for
/// states, not for fixed sleeps that a loaded machine outruns.
///
/// Why 20 s and a last look: tests run in parallel on Swift's cooperative
/// pool (2 threads in CI), and a test computing synchronously can hold a
/// thread for seconds. The server's handler then resumes late too, and a 5 s
/// limit once failed in CI although the call completed.
func eventually(timeoutMs: Int = 20_000, _ condition: () -> Bool) async -> Bool {
    let limit = ContinuousClock.now + .milliseconds(timeoutMs)
    while !condition() {
        if ContinuousClock.now >= limit {
            await Task.yield()
            return condition()
        }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return true
}

/// The status code of a call that must fail.
func failureCode(_ call: () async throws -> Void) async -> StatusCode? {
    do {
        try await call()
        return nil
    } catch let error as RPCError {
        return error.code
    } catch {
        return .unknown
    }
}

/// Calls the slow method and returns the worker name that answered.
func whoAnswers(_ client: NngClient, sleepMs: Int = 0, timeoutMs: Int64 = 5_000) async throws -> String {
    let reply = try await client.call(TestMethods.slow, .init(),
                                      options: CallOptions(timeoutMilliseconds: timeoutMs, metadata: ["sleep-ms": "\(sleepMs)"]))
    return reply.checkpointID
}

/// A raw nng REQ socket, for sending what a well-behaved client never would.
final class RawRequester {
    var socket = nng_socket()

    init(dialing url: String) throws {
        try NngError.check(nng_req0_open(&socket), "open")
        nng_socket_set_ms(socket, NNG_OPT_REQ_RESENDTIME, nng_duration(NNG_DURATION_INFINITE))
        nng_socket_set_ms(socket, NNG_OPT_RECVTIMEO, 2_000)
        try NngError.check(nng_dial(socket, url, nil, 0), "dial")
    }

    func send(_ bytes: [UInt8]) throws {
        try NngError.check(bytes.withUnsafeBytes { nng_send(socket, UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count, 0) }, "send")
    }

    /// The reply, or nil after the receive timeout.
    func receive(timeoutMs: Int32 = 2_000) -> [UInt8]? {
        nng_socket_set_ms(socket, NNG_OPT_RECVTIMEO, timeoutMs)
        var buffer: UnsafeMutableRawPointer?
        var size = 0
        guard nng_recv(socket, &buffer, &size, Int32(NNG_FLAG_ALLOC)) == 0, let buffer else { return nil }
        defer { nng_free(buffer, size) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: size))
    }

    func close() { nng_close(socket) }
}
