/// One layer's cached keys (or values): rows of `width` floats, contiguous,
/// growing at the end into pooled storage (`KVStorage`) of a power of two
/// rows, so a decode step's row lands in memory already in use.
struct KVRows {
    let width: Int
    private(set) var count = 0
    private var storage: KVStorage?

    init(width: Int) { self.width = width }

    /// The first `count` rows of `other`, in storage of their own.
    init(copying other: KVRows, count: Int) {
        width = other.width
        guard count > 0, let source = other.storage else { return }
        let buffer = KVStorage(count: Self.capacity(for: count, width: width))
        buffer.pointer.update(from: source.pointer, count: count * width)
        (storage, self.count) = (buffer, count)
    }

    /// The first row (there is one once anything was appended).
    var pointer: UnsafePointer<Float> {
        guard let storage else { preconditionFailure("no rows yet") }
        return UnsafePointer(storage.pointer)
    }

    var capacity: Int { (storage?.count ?? 0) / width }

    /// Bytes of storage held.
    var storageBytes: Int { (storage?.count ?? 0) * MemoryLayout<Float>.stride }

    mutating func append(_ rows: UnsafeBufferPointer<Float>) {
        precondition(rows.count % width == 0, "whole rows")
        let added = rows.count / width
        if count + added > capacity {
            let grown = KVStorage(count: Self.capacity(for: max(count + added, 2 * capacity), width: width))
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

    /// Floats of storage for at least `rows` rows: a power of two rows, so
    /// that storage of one size serves many caches.
    static func capacity(for rows: Int, width: Int) -> Int {
        var capacity = 16
        while capacity < rows { capacity *= 2 }
        return capacity * width
    }
}
