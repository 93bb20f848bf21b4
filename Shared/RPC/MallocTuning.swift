#if canImport(Glibc)
import Glibc
#endif

/// glibc gives the freed memory of its per-thread arenas back to the kernel
/// at once, so each message-sized buffer (a 1 MiB tensor, decoded, copied,
/// packed) is faulted in again page by page on the next call. Measured with
/// `irg bench rpc --typed`: a 1 MiB echo spent most of its 3 ms in page
/// faults (perf: exc_page_fault, do_anonymous_page, madvise on free).
/// Serving blocks up to 32 MB from the heap and keeping up to 64 MB free per
/// arena took it to 1-1.6 ms. What is kept was in use at the peak, so a
/// steady load's resident size stays flat; a 64 MiB message still maps.
public enum MallocTuning {
    // malloc.h's option numbers; Swift's Glibc module does not import malloc.h.
    static let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3

    public static func keepFreedMessageBuffers() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }  // RTLD_DEFAULT
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, 64 << 20)
        #endif
    }
}
