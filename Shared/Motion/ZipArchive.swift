import CZlib
import Foundation

/// Reads the entries of a ZIP archive (stored or deflated), enough for
/// NumPy's .npz files. ZIP64 archives are refused with a clear error.
public struct ZipArchive {
    public let entries: [String: [UInt8]]

    public init(_ data: [UInt8]) throws {
        func u16(_ i: Int) -> Int { Int(data[i]) | Int(data[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        // The end-of-central-directory record: signature 0x06054b50, searched from the end.
        guard data.count >= 22,
              let end = stride(from: data.count - 22, through: max(0, data.count - 65_557), by: -1)
                .first(where: { u32($0) == 0x0605_4b50 })
        else { throw MotionError.parse("not a ZIP archive") }
        let count = u16(end + 10)
        var cursor = u32(end + 16)
        guard cursor != 0xFFFF_FFFF else { throw MotionError.parse("ZIP64 archives are not supported") }
        var entries: [String: [UInt8]] = [:]
        for _ in 0..<count {
            guard cursor + 46 <= data.count, u32(cursor) == 0x0201_4b50 else {
                throw MotionError.parse("corrupt ZIP central directory")
            }
            let method = u16(cursor + 10)
            let compressed = u32(cursor + 20), size = u32(cursor + 24)
            let nameLength = u16(cursor + 28), extra = u16(cursor + 30), comment = u16(cursor + 32)
            let local = u32(cursor + 42)
            guard cursor + 46 + nameLength <= data.count else { throw MotionError.parse("corrupt ZIP central directory") }
            let name = String(decoding: data[(cursor + 46)..<(cursor + 46 + nameLength)], as: UTF8.self)
            guard local + 30 <= data.count, u32(local) == 0x0403_4b50 else { throw MotionError.parse("corrupt ZIP entry \(name)") }
            let start = local + 30 + u16(local + 26) + u16(local + 28)
            guard start + compressed <= data.count else { throw MotionError.parse("ZIP entry \(name) is truncated") }
            let bytes = Array(data[start..<(start + compressed)])
            switch method {
            case 0: entries[name] = bytes
            case 8: entries[name] = try ZipArchive.inflate(bytes, size: size, name: name)
            default: throw MotionError.parse("ZIP entry \(name) uses compression method \(method)")
            }
            cursor += 46 + nameLength + extra + comment
        }
        self.entries = entries
    }

    /// Raw deflate (no zlib header), as ZIP stores it.
    static func inflate(_ input: [UInt8], size: Int, name: String) throws -> [UInt8] {
        // Deflate expands at most about 1032 to 1: a larger claim is a corrupt (or hostile)
        // header, refused before it is allocated (Scripts/fuzz.sh ran out of memory on one).
        guard size <= input.count * 1032 + 1024 else {
            throw MotionError.parse("ZIP entry \(name) claims \(size) bytes from \(input.count) compressed")
        }
        var output = [UInt8](repeating: 0, count: size)
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw MotionError.parse("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else {
            throw MotionError.parse("ZIP entry \(name) does not inflate (zlib status \(status))")
        }
        return output
    }
}

/// NumPy's .npz: a ZIP of .npy files (np.savez, np.savez_compressed).
public enum NPZ {
    public static func read(_ url: URL) throws -> [String: NPYArray] {
        try decode(Array(try Data(contentsOf: url)))
    }

    /// The arrays of an .npz file's bytes, by name.
    public static func decode(_ bytes: [UInt8]) throws -> [String: NPYArray] {
        let archive = try ZipArchive(bytes)
        var arrays: [String: NPYArray] = [:]
        for (name, bytes) in archive.entries where name.hasSuffix(".npy") {
            arrays[String(name.dropLast(4))] = try NPYArray.decode(bytes)
        }
        return arrays
    }
}
