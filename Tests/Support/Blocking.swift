import Dispatch

/// Runs blocking work (waiting for a process, building a dataset) on a
/// Dispatch thread and awaits it, so it never holds one of the few threads
/// of Swift's cooperative pool, which every async test and in-process server shares.
public func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
