import Dispatch

/// Model work (forward passes, feature extraction) runs here, not on
/// Swift's cooperative pool: that pool has one thread per core and also
/// serves every request's async plumbing, so long computations there would
/// stall the whole server.
public enum ComputeQueue {
    static let queue = DispatchQueue(label: "irg.compute", qos: .userInitiated, attributes: .concurrent)

    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
