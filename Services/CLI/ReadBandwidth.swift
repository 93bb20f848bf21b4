import CIRGKernels
import Foundation

/// The memory read bandwidth a decoder that streams its weights can hope
/// for: regions read once each with `irg_stream_read`, the best of several
/// passes (this VM's rate moves by several GB/s from pass to pass).
enum ReadBandwidth {
    /// Bytes per second, best of `passes` reads of every region `regions` hands over.
    static func best(passes: Int = 10, threads: Int, regions: ((UnsafeRawBufferPointer) -> Void) -> Void) -> Double {
        var best = Double.infinity
        var bytes = 0
        for _ in 0..<passes {
            bytes = 0
            let start = ContinuousClock.now
            regions { region in
                _ = irg_stream_read(region.baseAddress!, region.count, Int32(threads))
                bytes += region.count
            }
            best = min(best, (ContinuousClock.now - start).seconds)
        }
        return Double(bytes) / best
    }

    /// The same on a fresh buffer of `bytes` (far above the caches), 2 MB
    /// aligned and on huge pages where the kernel gives them, as the packed
    /// weights lie: for a process that does not hold the model.
    static func ofFreshBuffer(bytes: Int = 1 << 30, threads: Int) -> Double {
        let alignment = 2 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment)
        defer { buffer.deallocate() }
        _ = madvise(buffer, bytes, MADV_HUGEPAGE)
        memset(buffer, 1, bytes)
        return best(threads: threads) { $0(UnsafeRawBufferPointer(start: buffer, count: bytes)) }
    }
}
