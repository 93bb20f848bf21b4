import Synchronization

/// Work done once per idempotency key at a time: a second call with a key
/// whose work is running waits for that work's result instead of starting
/// its own. Finding the running work and registering new work happen under
/// one lock, so two calls arriving together cannot both start.
public final class KeyedWork<Result: Sendable>: Sendable {
    private let running = Mutex<[String: Task<Result, Error>]>([:])

    public init() {}

    /// `work`'s result, or the result of the work already running under `key`; an empty key never
    /// waits. The work runs in a task of its own either way, so it finishes even if its caller goes.
    public func run(_ key: String, _ work: @escaping @Sendable () async throws -> Result) async throws -> Result {
        guard !key.isEmpty else { return try await Task { try await work() }.value }
        let task = running.withLock { running in
            if let started = running[key] { return started }
            let task = Task { try await work() }
            running[key] = task
            return task
        }
        defer { running.withLock { running in if running[key] == task { running.removeValue(forKey: key) } } }
        return try await task.value
    }
}
