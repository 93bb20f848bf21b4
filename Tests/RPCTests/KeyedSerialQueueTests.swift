import IRGOrchestration
import Synchronization
import Testing

/// Converse turns on one session run one at a time, in arrival order; other sessions do not wait.
@Suite struct KeyedSerialQueueTests {
    @Test func workOnOneKeyRunsInTurnAndOtherKeysRunAlongside() async throws {
        let queue = KeyedSerialQueue()
        let events = Recorded<String>()
        let gate = Recorded<Int>()  // when the first turn may finish
        let first = Task {
            try await queue.run("s") {
                events.append("first starts")
                while gate.values.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                events.append("first ends")
            }
        }
        #expect(await eventually { events.values == ["first starts"] })
        let second = Task { try await queue.run("s") { events.append("second runs") } }
        let other = Task { try await queue.run("t") { events.append("other session runs") } }
        try await other.value
        #expect(events.values == ["first starts", "other session runs"], "another session does not wait; the second turn does")
        gate.append(1)
        try await first.value
        try await second.value
        #expect(events.values == ["first starts", "other session runs", "first ends", "second runs"])
    }
}
