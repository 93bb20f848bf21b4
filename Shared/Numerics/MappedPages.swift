import Foundation

/// Letting go of a mapped file's pages once their contents have been copied
/// (packed weights are never read from the file again): the process then
/// holds the packed copy only, not both.
enum MappedPages {
    /// Drops the whole pages of `data` from memory when it is a slice of a
    /// file mapping; anything else (owned or anonymous memory) is left alone.
    static func release(_ data: Data) {
        data.withUnsafeBytes { raw in
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let start = (Int(bitPattern: raw.baseAddress) + page - 1) / page * page
            let end = (Int(bitPattern: raw.baseAddress) + raw.count) / page * page
            guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
            // Only for pages of a file mapping; on anonymous memory this would zero them.
            if isFileMapped(pointer) { madvise(pointer, end - start, MADV_DONTNEED) }
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
