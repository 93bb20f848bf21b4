import IRGOrchestration
import Synchronization
import Testing

/// Converse turns on one session run one at a time, in arrival order; other sessions do not wait.
/// Calls with one idempotency key that arrive together run their work once.
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

@Suite struct KeyedWorkTests {
    @Test func callsWithOneKeyArrivingTogetherRunTheWorkOnce() async throws {
        let work = KeyedWork<Int>()
        let runs = Recorded<Int>()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for k in 0..<8 {
                group.addTask {
                    try await work.run("same") {
                        runs.append(k)
                        try await Task.sleep(for: .milliseconds(200))
                        return 42
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: 42, count: 8) && runs.values.count == 1)
        #expect(try await work.run("same") { 7 } == 7, "a key whose work finished runs new work")
        #expect(try await work.run("") { 1 } == 1)
    }
}
