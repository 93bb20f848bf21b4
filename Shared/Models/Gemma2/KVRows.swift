import Foundation
import IRGNumerics

/// One layer's cached keys (or values): rows of `width` floats, contiguous,
/// growing at the end. Why not a Swift array: appending a decode step's row
/// lands in pages never touched, and in a loaded VM each 4 KB page fault
/// cost about 20 us (thread CPU time and rusage faults around the appends:
/// 160 faults and 3.3 ms of a 50 ms step, two sequences of Gemma2-2b).
/// Storage that will grow is sized in whole 2 MB huge pages once a row is
/// 1 KB or more (512 rows of Gemma2-2b's 4 KB): one fault per 512 rows.
struct KVRows {
    let width: Int
    private(set) var count = 0
    private var storage: AlignedBuffer<Float>?

    init(width: Int) { self.width = width }

    /// The first `count` rows of `other`, in storage sized exactly (a stored
    /// prefix that never grows) or for growing.
    init(copying other: KVRows, count: Int, growing: Bool) {
        width = other.width
        guard count > 0, let source = other.storage else { return }
        let buffer = AlignedBuffer<Float>(count: growing ? Self.capacity(for: count, width: width) : count * width)
        buffer.pointer.update(from: source.pointer, count: count * width)
        (storage, self.count) = (buffer, count)
    }

    /// The first row (there is one once anything was appended).
    var pointer: UnsafePointer<Float> {
        guard let storage else { preconditionFailure("no rows yet") }
        return UnsafePointer(storage.pointer)
    }

    var capacity: Int { (storage?.count ?? 0) / width }

    mutating func append(_ rows: UnsafeBufferPointer<Float>) {
        precondition(rows.count % width == 0, "whole rows")
        let added = rows.count / width
        if count + added > capacity {
            let grown = AlignedBuffer<Float>(count: Self.capacity(for: max(count + added, 2 * capacity), width: width))
            if let storage { grown.pointer.update(from: storage.pointer, count: count * width) }
            storage = grown
        }
        (storage!.pointer + count * width).update(from: rows.baseAddress!, count: rows.count)
        count += added
    }

    /// Forgets the rows past the first `kept` (the storage stays).
    mutating func truncate(to kept: Int) {
        precondition(kept <= count)
        count = kept
    }

    /// Floats of storage for at least `rows` rows: whole huge pages for wide rows, else the rows.
    static func capacity(for rows: Int, width: Int) -> Int {
        let rowBytes = width * MemoryLayout<Float>.size
        guard rowBytes >= 1024 else { return max(rows, 16) * width }
        let page = TransparentHugePage.bytes
        return (rows * rowBytes + page - 1) / page * page / MemoryLayout<Float>.size
    }
}
