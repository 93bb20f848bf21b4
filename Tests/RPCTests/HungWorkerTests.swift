import Foundation
import IRGProto
@testable import IRGRPC
import Testing

/// A worker that stops answering (SIGSTOP: a hung host) while it is connected:
/// the attempts it holds time out, it fails a Health probe and is disconnected,
/// the work goes to the other worker, and it gets nothing until it connects
/// again when it wakes (docs/rpc.md, "Hung workers").
@Suite(.serialized) struct HungWorkerTests {
    @Test func aStoppedWorkerIsCutOffItsWorkMovesOnAndItRejoinsWhenItWakes() async throws {
        let pool = freshAddress("tcp")
        let client = try NngClient([.listen(pool)], attemptMilliseconds: 1_000)
        defer { client.close() }
        let own = [freshAddress(), freshAddress()]
        let workers = try own.map { try ProcessTests.launch("irg-tokenizer", ["--listen", $0, "--dial", pool]) }
        defer {
            for worker in workers {
                kill(worker.processIdentifier, SIGCONT)
                worker.terminate()
                worker.waitUntilExit()
            }
        }
        let hung = workers[1].processIdentifier
        #expect(await client.waitForPeers(2, timeoutMilliseconds: 10_000))
        #expect(try await echoes(client, 20) == [.ok: 20])
        try await Task.sleep(for: .milliseconds(200))  // a server counts a call just after its reply
        let servedBeforeStop = try await echoCodes(of: own[1])[.ok, default: 0]
        #expect(servedBeforeStop > 0)

        kill(hung, SIGSTOP)
        // The signal lands when the kernel next schedules the process, some milliseconds on.
        #expect(await eventually { Self.processState(hung) == "T" })
        let stoppedAt = ContinuousClock.now
        // Every call is answered, by the running worker, within the attempt time, a probe and a retry.
        #expect(try await echoes(client, 40) == [.ok: 40])
        #expect(ContinuousClock.now - stoppedAt < .seconds(10))
        #expect(client.connectedPipes == 1)
        try await Task.sleep(for: .seconds(1))
        #expect(client.connectedPipes == 1, "a stopped worker cannot connect again")
        #expect(try await echoes(client, 20) == [.ok: 20])

        kill(hung, SIGCONT)
        #expect(await client.waitForPeers(2, timeoutMilliseconds: 15_000), "the worker connects again when it wakes")
        try await Task.sleep(for: .milliseconds(300))
        let afterWaking = try await echoCodes(of: own[1])
        // What it held while stopped had passed its attempt's deadline: refused, not run late.
        #expect(afterWaking[.ok, default: 0] == servedBeforeStop)
        #expect(afterWaking[.deadlineExceeded, default: 0] > 0)
        #expect(try await echoes(client, 40) == [.ok: 40])
        #expect(try await echoCodes(of: own[1])[.ok, default: 0] > servedBeforeStop, "the woken worker gets work again")
    }

    /// `count` Echo calls, 8 at a time; their status codes counted.
    private func echoes(_ client: NngClient, _ count: Int) async throws -> [StatusCode: Int] {
        try await withThrowingTaskGroup(of: StatusCode.self) { group in
            var codes: [StatusCode: Int] = [:]
            for index in 0..<count {
                if index >= 8, let code = try await group.next() { codes[code, default: 0] += 1 }
                group.addTask {
                    await failureCode {
                        _ = try await client.call(Irg_V1_Admin.echo, .with { $0.data = [UInt8](repeating: 0, count: 64) },
                                                  options: CallOptions(timeoutMilliseconds: 20_000))
                    } ?? .ok
                }
            }
            return try await group.reduce(into: codes) { $0[$1, default: 0] += 1 }
        }
    }

    /// The worker's own count of Echo calls by status, over its own address.
    private func echoCodes(of address: String) async throws -> [StatusCode: Int] {
        let client = try NngClient(dialing: [address])
        defer { client.close() }
        let stats = try await client.call(Irg_V1_Admin.stats, .init(), options: CallOptions(timeoutMilliseconds: 5_000))
        let echo = stats.methods.first { $0.method == Irg_V1_Admin.echo.name }
        return echo?.codes.reduce(into: [:]) { $0[StatusCode(rawValue: Int32($1.code.rawValue)) ?? .unknown, default: 0] += Int($1.count) } ?? [:]
    }

    /// The state letter of /proc/PID/stat: R running, S sleeping, T stopped.
    static func processState(_ pid: Int32) -> String {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return "?" }
        return stat[stat.index(after: close)...].split(separator: " ").first.map(String.init) ?? "?"
    }
}
