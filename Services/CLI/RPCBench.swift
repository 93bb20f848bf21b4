import ArgumentParser
import CBareNng
import Foundation
import IRGRPC
import IRGProto
import Logging

/// `irg bench rpc`: round-trip latency and throughput of the RPC stack
/// (envelope, protobuf-c, dispatcher, Swift tasks) against a bare nng
/// REQ/REP echo in C, in the same run, over ipc:// and tcp://127.0.0.1.
struct RPCBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc", abstract: "RPC round trips against bare nng (C) in the same run.")

    @Option(help: "Round trips per 1 KiB case.")
    var smallRequests: Int = 20_000

    @Option(help: "Round trips per 1 MiB case.")
    var largeRequests: Int = 1_000

    @Option(help: "Server contexts (requests in flight) for both servers.")
    var contexts: Int = 16

    @Flag(help: "Run the echo handler on the global executor, as service handlers run, instead of inline.")
    var pooled = false

    @Flag(help: "Run the echo handler on the generated types (EchoRequest in, EchoResponse out) instead of on raw bytes; implies --pooled.")
    var typed = false

    @Option(help: "Also write the table as JSON to this file.")
    var json: String?

    func run() async throws {
        MallocTuning.keepFreedMessageBuffers()  // as every service does at start
        let runDir = NSTemporaryDirectory() + "irg-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: runDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: runDir) }
        var rows: [BenchRow] = []
        print("transport size    clients | bare nng (C): p50 us  p99 us   req/s | irg RPC: p50 us  p99 us   req/s | p50 ratio  req/s ratio")
        var port = 17_900 + Int(getpid() % 1000)
        for transport in ["ipc", "tcp"] {
            for size in [1024, 1 << 20] {
                for clients in [1, 16] {
                    port += 2
                    let url = { (n: Int) in
                        transport == "ipc" ? "ipc://\(runDir)/bench\(n).ipc" : "tcp://127.0.0.1:\(port + n)"
                    }
                    let requests = size == 1024 ? smallRequests : largeRequests
                    let bare = try bareEcho(url(0), size: size, clients: clients, requests: requests)
                    let irg = try await irgEcho(url(1), size: size, clients: clients, requests: requests)
                    let row = BenchRow(transport: transport, size: size, clients: clients, bare: bare, irg: irg)
                    print(row.line)
                    rows.append(row)
                }
            }
        }
        for size in [1024, 1 << 20] {
            print(String(format: "envelope codec alone, %@: encode %.1f us + decode %.1f us per message (a round trip does each twice)",
                         size == 1024 ? "1 KiB" : "1 MiB", codecMicroseconds(size: size, decode: false),
                         codecMicroseconds(size: size, decode: true)))
        }
        if let json {
            let data = try JSONSerialization.data(withJSONObject: rows.map(\.dictionary), options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: json))
        }
    }

    /// Mean time to pack an envelope into a fresh buffer, or to unpack one in place.
    private func codecMicroseconds(size: Int, decode: Bool) -> Double {
        let envelope = Envelope(method: Irg_V1_Admin.echo.name, requestID: 1, deadline: .after(milliseconds: 1000),
                                payload: Data(repeating: 0x5a, count: size))
        let packed = EnvelopeCodec.encode(envelope)
        let rounds = size == 1024 ? 20_000 : 500
        let start = ContinuousClock.now
        for _ in 0..<rounds {
            if decode {
                let copy = packed.withUnsafeBytes { EnvelopeCodec.decode(borrowing: $0, release: {}) }
                precondition(copy?.payload.count == size)
            } else {
                precondition(EnvelopeCodec.encode(envelope).count == packed.count)
            }
        }
        return (ContinuousClock.now - start).microseconds / Double(rounds)
    }

    private func bareEcho(_ url: String, size: Int, clients: Int, requests: Int) throws -> Measurement {
        var err: Int32 = 0
        guard let server = bare_echo_server_start(url, Int32(contexts), &err) else {
            throw ValidationError("bare echo server on \(url): nng error \(err)")
        }
        defer { bare_echo_server_stop(server) }
        var latencies = [Double](repeating: 0, count: requests)
        var seconds = 0.0
        let warm = [Double](repeating: 0, count: 100)
        var warmSeconds = 0.0
        _ = warm.withUnsafeBufferPointer {
            bare_echo_client_run(url, size, Int32(clients), 100, UnsafeMutablePointer(mutating: $0.baseAddress), &warmSeconds)
        }
        let rc = bare_echo_client_run(url, size, Int32(clients), Int32(requests), &latencies, &seconds)
        guard rc == 0 else { throw ValidationError("bare echo client on \(url): nng error \(rc)") }
        return Measurement(latenciesUs: latencies, seconds: seconds)
    }

    private func irgEcho(_ url: String, size: Int, clients: Int, requests: Int) async throws -> Measurement {
        var options = ServerOptions(name: "irg-bench")
        options.contexts = contexts
        let router = Router()
        let server = NngServer(dispatcher: Dispatcher(router: router, options: options,
                                                      logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })))
        if typed {
            router.implement(Irg_V1_Admin.echo) { request, _ in Irg_V1_EchoResponse.with { $0.data = request.data } }
        } else if pooled {
            router.implement(Irg_V1_Admin.echo, inline: false, raw: { payload, _ in payload })
        }
        try server.start([.listen(url)])
        defer { server.close() }
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        _ = await client.waitForPeers(timeoutMilliseconds: 5_000)
        // An EchoRequest's bytes (field 1, length, data), so the typed handler parses it too.
        let payload = try Irg_V1_EchoRequest.with { $0.data = [UInt8](repeating: 0x5a, count: size - 4) }.serializedData()
        let call = CallOptions(timeoutMilliseconds: 10_000, maxAttempts: 1)
        for _ in 0..<100 { _ = try await client.call(Irg_V1_Admin.echo.name, payload: payload, options: call) }
        let perClient = requests / clients
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var mine: [Double] = []
                    mine.reserveCapacity(perClient)
                    for _ in 0..<perClient {
                        let t0 = ContinuousClock.now
                        let reply = try await client.call(Irg_V1_Admin.echo.name, payload: payload, options: call)
                        precondition(reply.count == payload.count, "echo returned \(reply.count) bytes")
                        mine.append((ContinuousClock.now - t0).microseconds)
                    }
                    return mine
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
        return Measurement(latenciesUs: latencies, seconds: (ContinuousClock.now - start).microseconds / 1e6)
    }
}

struct Measurement {
    let p50: Double, p99: Double, perSecond: Double

    init(latenciesUs: [Double], seconds: Double) {
        let sorted = latenciesUs.sorted()
        p50 = sorted[sorted.count / 2]
        p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        perSecond = Double(sorted.count) / seconds
    }
}

struct BenchRow {
    let transport: String, size: Int, clients: Int
    let bare: Measurement, irg: Measurement

    var line: String {
        let sizeText = size == 1024 ? "1 KiB" : "1 MiB"
        func f(_ v: Double, _ w: Int) -> String { String(format: "%\(w).0f", v) }
        return "\(transport.padding(toLength: 9, withPad: " ", startingAt: 0)) \(sizeText)   \(String(format: "%7d", clients)) | "
            + "\(f(bare.p50, 18)) \(f(bare.p99, 7)) \(f(bare.perSecond, 7)) | "
            + "\(f(irg.p50, 15)) \(f(irg.p99, 7)) \(f(irg.perSecond, 7)) | "
            + String(format: "%9.2fx %11.2fx", irg.p50 / bare.p50, irg.perSecond / bare.perSecond)
    }

    var dictionary: [String: Any] {
        ["transport": transport, "bytes": size, "clients": clients,
         "bare_p50_us": bare.p50, "bare_p99_us": bare.p99, "bare_rps": bare.perSecond,
         "irg_p50_us": irg.p50, "irg_p99_us": irg.p99, "irg_rps": irg.perSecond,
         "p50_ratio": irg.p50 / bare.p50, "rps_ratio": irg.perSecond / bare.perSecond]
    }
}
