import Foundation

/// Letting go of a mapped file's pages once their contents have been copied
/// (packed weights are never read from the file again): the process then
/// holds the packed copy only, not both.
enum MappedPages {
    /// Packs the row-major matrix in `data` by calling `pack` on consecutive
    /// row ranges (multiples of `panelRows` rows but the last, about
    /// `chunkBytes` each), and, when `data` is a slice of a file mapping,
    /// lets go of each range's pages as soon as it is packed: a large matrix
    /// (Gemma2's 1.2 GB embedding) is then never in memory twice.
    static func packInChunks(_ data: Data, rows: Int, panelRows: Int, chunkBytes: Int = 32 << 20,
                             _ pack: (Range<Int>) -> Void) {
        guard rows > 0 else { return }
        let rowBytes = data.count / rows
        let chunkRows = max(1, chunkBytes / max(rowBytes, 1) / panelRows) * panelRows
        let mapped = data.withUnsafeBytes { raw in
            raw.baseAddress.map { isFileMapped(UnsafeMutableRawPointer(mutating: $0)) } ?? false
        }
        for first in stride(from: 0, to: rows, by: chunkRows) {
            let chunk = first ..< min(first + chunkRows, rows)
            pack(chunk)
            // Only for pages of a file mapping; on anonymous memory this would zero them.
            guard mapped else { continue }
            let start = data.startIndex + chunk.lowerBound * rowBytes
            dropWholePages(data[start ..< start + chunk.count * rowBytes])
        }
        // The pages that straddled two chunks.
        if mapped { dropWholePages(data) }
    }

    /// MADV_DONTNEED over the pages that lie wholly inside `data`: on a file
    /// mapping they are dropped and read back from the file if touched again.
    private static func dropWholePages(_ data: Data) {
        data.withUnsafeBytes { raw in
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let start = (Int(bitPattern: raw.baseAddress) + page - 1) / page * page
            let end = (Int(bitPattern: raw.baseAddress) + raw.count) / page * page
            guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
            madvise(pointer, end - start, MADV_DONTNEED)
        }
    }

    /// Whether the address lies in a mapping of a file (/proc/self/maps: a
    /// non-zero inode), where MADV_DONTNEED only drops pages that the file
    /// gives back on the next read.
    static func isFileMapped(_ address: UnsafeMutableRawPointer) -> Bool {
        // Read to the end: String(contentsOfFile:) stops after the first 4 KB
        // of a /proc file, and a loaded model's maps run to tens of KB.
        guard let bytes = FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile() else { return false }
        let maps = String(decoding: bytes, as: UTF8.self)
        let target = UInt(bitPattern: Int(bitPattern: address))
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 5 else { continue }
            let bounds = fields[0].split(separator: "-").compactMap { UInt($0, radix: 16) }
            guard bounds.count == 2, bounds[0] <= target, target < bounds[1] else { continue }
            return fields[4] != "0"
        }
        return false
    }
}
