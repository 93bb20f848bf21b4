import Foundation

/// Holds an async result for the thread that waits on it.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

/// Runs async work and blocks the calling thread until it is done. For
/// synchronous code on a thread of its own (an evaluation job, a command's
/// main thread) that needs to call services; never call it on the
/// cooperative pool, whose threads it would hold.
public func waitFor<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}
