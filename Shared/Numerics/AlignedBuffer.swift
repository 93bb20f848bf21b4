import Foundation

/// Uninitialized storage for packed weights, freed with the last value that
/// holds it. Buffers of 2 MB and more are 2 MB aligned and asked for
/// transparent huge pages: a gigabyte-sized model is paged in in a few
/// thousand faults rather than a million, and streaming it reads about 5%
/// faster (measured on Gemma2-2b's int8 panels, 50 against 47.5 GB/s).
final class AlignedBuffer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    init(count: Int) {
        let hugePage = 2 << 20
        let bytes = max(count * MemoryLayout<Element>.stride, 64)
        let alignment = bytes >= hugePage ? hugePage : 64
        let rounded = (bytes + alignment - 1) / alignment * alignment
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, alignment, rounded) == 0, let raw else {
            fatalError("out of memory for \(rounded) bytes of packed weights")
        }
        // Only the whole huge pages: a huge page under the tail would hold up to
        // 2 MB more than the data, a megabyte a matrix on average.
        if alignment == hugePage { madvise(raw, bytes / hugePage * hugePage, MADV_HUGEPAGE) }
        (pointer, self.count) = (raw.bindMemory(to: Element.self, capacity: count), count)
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: count * MemoryLayout<Element>.stride) }

    deinit { free(pointer) }
}
