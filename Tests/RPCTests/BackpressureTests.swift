import Foundation
import Synchronization
import IRGProto
@testable import IRGRPC
import Testing

/// Bounded work per server: `contexts` requests run, `maxQueued` wait, the
/// rest are refused at once with RESOURCE_EXHAUSTED and a retry hint; control
/// methods always answer; idempotent calls follow the hint.
@Suite struct BackpressureTests {
    @Test func theGateAdmitsQueuesInOrderAndRefusesTheRest() async throws {
        let gate = AdmissionGate(maxInFlight: 2, maxQueued: 2)
        #expect(await gate.enter() == .admitted)
        #expect(await gate.enter() == .admitted)
        let order = Recorded<Int>()
        let waiters = (1...2).map { k in
            Task {
                let admission = await gate.enter()
                order.append(k)
                return admission
            }
        }
        #expect(await eventually { gate.load.queued == 2 })
        guard case .refused(let hint) = await gate.enter() else { Issue.record("a fifth request was admitted"); return }
        #expect(hint >= 10)
        gate.leave(milliseconds: 100)
        #expect(await waiters[0].value == .admitted)
        gate.leave(milliseconds: 100)
        #expect(await waiters[1].value == .admitted)
        #expect(order.values == [1, 2] && gate.load == (2, 0))
    }

    @Test func aBurstOverTheBoundIsRefusedWithAHintWhileHealthAnswers() async throws {
        let url = freshAddress()
        let server = try startServer([.listen(url)]) {
            $0.contexts = 2
            $0.maxQueued = 2
        }
        defer { server.close() }
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        let outcomes = Recorded<String>()
        let hints = Recorded<String>()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do {
                        _ = try await client.call(TestMethods.slow, .init(),
                                                  options: CallOptions(timeoutMilliseconds: 20_000, metadata: ["sleep-ms": "2000"], maxAttempts: 1))
                        outcomes.append("ok")
                    } catch let error as RPCError {
                        outcomes.append(error.code.description)
                        if let hint = error.details[Dispatcher.retryAfterKey] { hints.append(hint) }
                    } catch {
                        outcomes.append("\(error)")
                    }
                }
            }
            // While the slots and the queue are full, Health still answers at once.
            try? await Task.sleep(for: .milliseconds(300))
            let health = try? await client.healthStatus(service: "", timeoutMilliseconds: 2_000)
            #expect(health == "SERVING")
        }
        let counts = Dictionary(grouping: outcomes.values, by: { $0 }).mapValues(\.count)
        #expect(counts == ["ok": 4, "RESOURCE_EXHAUSTED": 6], "\(counts)")
        #expect(hints.values.count == 6 && hints.values.allSatisfy { (Int($0) ?? 0) >= 10 })

        // The same burst with retries allowed: the idempotent calls follow the hint, and all succeed.
        let retried = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    if (try? await client.call(TestMethods.slow, .init(),
                                               options: CallOptions(timeoutMilliseconds: 60_000, metadata: ["sleep-ms": "200"], maxAttempts: 20))) != nil {
                        retried.increment()
                    }
                }
            }
        }
        #expect(retried.value == 10)
        #expect(server.dispatcher.gate.load == (0, 0), "every slot was given back")
    }
}

/// Values appended by concurrent tasks.
final class Recorded<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])
    var values: [Value] { storage.withLock { $0 } }
    func append(_ value: Value) { storage.withLock { $0.append(value) } }
}
