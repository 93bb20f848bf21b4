import Foundation

/// Memory for one layer's cached keys or values, taken from and given back
/// to a process-wide pool. Why a pool: fresh memory costs a page fault per
/// 4 KB on first touch, about 20 us each in the loaded VM (a decode step's
/// appends into fresh pages took 3.3 ms of 50), and asking for transparent
/// huge pages instead stalled on compaction (a 52-array cache copy took
/// 293 ms). A loop makes and drops a few caches a call; recycled storage is
/// already in memory. New storage is mapped with its pages populated at
/// once, cheaper than faulting them one by one.
final class KVStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = KVStoragePool.shared.take(count)
    }

    deinit { KVStoragePool.shared.giveBack(pointer, count: count) }
}

/// Free storage by size, kept up to `retainedLimit` bytes (beyond that it
/// goes back to the system). Small storage (under 64 KB: test-sized models)
/// comes from malloc. The process-wide pool keeps 256 MiB: what one loop
/// call frees on Gemma2-2b (its cache, the prefix cache entries its prompt
/// replaces, 26 to 52 MB each) several times over, and a bound the
/// generator's memory adds to its prefix cache's budget.
final class KVStoragePool: @unchecked Sendable {
    static let shared = KVStoragePool(retainedLimit: 256 << 20)
    static let smallestPooledBytes = 64 << 10

    let retainedLimit: Int
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var retained = 0
    private let lock = NSLock()

    init(retainedLimit: Int) { self.retainedLimit = retainedLimit }

    /// Bytes of free storage held for reuse.
    var retainedBytes: Int { lock.withLock { retained } }

    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let bytes = count * MemoryLayout<Float>.stride
        guard bytes >= Self.smallestPooledBytes else { return .allocate(capacity: max(count, 1)) }
        let reused: UnsafeMutablePointer<Float>? = lock.withLock {
            guard let pointer = free[count]?.popLast() else { return nil }
            retained -= bytes
            return pointer
        }
        if let reused { return reused }
        guard let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0),
              raw != MAP_FAILED else {
            fatalError("out of memory for \(bytes) bytes of cached keys and values")
        }
        return raw.bindMemory(to: Float.self, capacity: count)
    }

    func giveBack(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let bytes = count * MemoryLayout<Float>.stride
        guard bytes >= Self.smallestPooledBytes else { return pointer.deallocate() }
        let kept: Bool = lock.withLock {
            guard retained + bytes <= retainedLimit else { return false }
            free[count, default: []].append(pointer)
            retained += bytes
            return true
        }
        if !kept { munmap(pointer, bytes) }
    }
}
