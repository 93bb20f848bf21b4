import Foundation

/// Model work (forward passes, feature extraction) runs here, not on
/// Swift's cooperative pool: that pool has one thread per core and also
/// serves every request's async plumbing, so long computations there would
/// stall the whole server.
///
/// Each job gets a thread of its own with an 8 MiB stack. Dispatch's worker
/// threads have small stacks, and a VQ-VAE pass in a debug build overflowed
/// them (a crash through a null function pointer with a garbage stack); a
/// thread costs tens of microseconds against model calls of milliseconds.
public enum ComputeQueue {
    static let stackBytes = 8 << 20

    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = stackBytes
            thread.start()
        }
    }
}
