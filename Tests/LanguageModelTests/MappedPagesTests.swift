import Foundation
@testable import IRGNumerics
import Testing

/// Packing bf16 weights lets go of the file's pages: the check that an
/// address is file-mapped must see every mapping, also when /proc/self/maps
/// is far longer than 4 KB (a loaded model holds hundreds of mappings).
@Suite struct MappedPagesTests {
    @Test func aFileMappingIsFoundAmongHundredsOfMappings() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mapped-pages-\(getpid()).bin")
        try Data(repeating: 7, count: 1 << 20).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let mapped = try Data(contentsOf: url, options: .alwaysMapped)
        // Reserved, never touched: each is its own line in /proc/self/maps.
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let reservations = (0..<400).map { _ in mmap(nil, 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)! }
        defer { reservations.forEach { munmap($0, 2 * page) } }
        for (i, r) in reservations.enumerated() where i % 2 == 0 { mprotect(r, page, PROT_READ) }  // no merging
        let maps = FileHandle(forReadingAtPath: "/proc/self/maps")!.readDataToEndOfFile()
        try #require(maps.count > 16 * 1024, "expected a long /proc/self/maps, got \(maps.count) bytes")
        mapped.withUnsafeBytes { raw in
            #expect(MappedPages.isFileMapped(UnsafeMutableRawPointer(mutating: raw.baseAddress!)))
        }
        var owned = [UInt8](repeating: 1, count: 1 << 20)
        owned.withUnsafeMutableBytes { #expect(!MappedPages.isFileMapped($0.baseAddress!)) }
    }
}
