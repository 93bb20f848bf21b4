import Foundation

/// Float scratch lent to the kernels and taken back, so that large temporary
/// buffers are reused. A fresh allocation of many megabytes comes from mmap,
/// and the kernel then faults in and zeroes every 4 KiB page on first touch:
/// with new scratch per convolution that cost a batch-32 decode about 15%.
/// Concurrent callers get separate buffers; at most `kept` stay pooled.
public final class ScratchPool: @unchecked Sendable {
    public static let shared = ScratchPool()

    private let lock = NSLock()
    private var free: [UnsafeMutableBufferPointer<Float>] = []
    private let kept = 8

    /// Runs `body` with an uninitialised buffer of at least `count` floats.
    public func withBuffer<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        let buffer = take(count)
        defer { give(buffer) }
        return try body(buffer.baseAddress!)
    }

    private func take(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
        lock.lock()
        defer { lock.unlock() }
        // The smallest pooled buffer that fits; none fits: a new one.
        if let i = free.indices.filter({ free[$0].count >= count }).min(by: { free[$0].count < free[$1].count }) {
            return free.remove(at: i)
        }
        return .allocate(capacity: max(count, 1))
    }

    private func give(_ buffer: UnsafeMutableBufferPointer<Float>) {
        lock.lock()
        defer { lock.unlock() }
        free.append(buffer)
        if free.count > kept, let smallest = free.indices.min(by: { free[$0].count < free[$1].count }) {
            free.remove(at: smallest).deallocate()
        }
    }
}
