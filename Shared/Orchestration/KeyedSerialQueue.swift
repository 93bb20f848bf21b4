import Synchronization

/// Runs async work one at a time per key, in the order it arrives: Converse
/// turns on one session are serialised, turns on different sessions run side by side.
public final class KeyedSerialQueue: Sendable {
    private let tails = Mutex<[String: Task<Void, Never>]>([:])

    public init() {}

    public func run<T: Sendable>(_ key: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let (task, tail): (Task<T, Error>, Task<Void, Never>) = tails.withLock { tails in
            let previous = tails[key]
            let task = Task {
                await previous?.value
                return try await body()
            }
            let tail = Task { _ = try? await task.value }
            tails[key] = tail
            return (task, tail)
        }
        defer {
            tails.withLock { tails in if tails[key] == tail { tails.removeValue(forKey: key) } }
        }
        return try await task.value
    }
}
