import Foundation

/// A NumPy `.npy` array: float32, float64, int32 or int64, any shape, C order.
public struct NPYArray: Equatable, Sendable {
    public enum DType: String, Sendable {
        case float32 = "<f4", float64 = "<f8", int32 = "<i4", int64 = "<i8"

        var size: Int { self == .float32 || self == .int32 ? 4 : 8 }
    }

    public var shape: [Int]
    public var dtype: DType
    /// Little-endian element bytes in C order.
    public var bytes: [UInt8]

    public var count: Int { shape.reduce(1, *) }

    public init(shape: [Int], dtype: DType, bytes: [UInt8]) {
        precondition(shape.reduce(1, *) * dtype.size == bytes.count, "shape and byte count disagree")
        self.shape = shape
        self.dtype = dtype
        self.bytes = bytes
    }

    public init(shape: [Int], floats: [Float]) {
        self.init(shape: shape, dtype: .float32, bytes: floats.withUnsafeBytes { Array($0) })
    }

    public init(shape: [Int], doubles: [Double]) {
        self.init(shape: shape, dtype: .float64, bytes: doubles.withUnsafeBytes { Array($0) })
    }

    public init(shape: [Int], int32s: [Int32]) {
        self.init(shape: shape, dtype: .int32, bytes: int32s.withUnsafeBytes { Array($0) })
    }

    /// The elements as Float, whatever the stored type.
    public func floats() -> [Float] {
        bytes.withUnsafeBytes { raw in
            switch dtype {
            case .float32: return Array(raw.bindMemory(to: Float.self))
            case .float64: return raw.bindMemory(to: Double.self).map { Float($0) }
            case .int32: return raw.bindMemory(to: Int32.self).map { Float($0) }
            case .int64: return raw.bindMemory(to: Int64.self).map { Float($0) }
            }
        }
    }

    public func doubles() -> [Double] {
        bytes.withUnsafeBytes { raw in
            switch dtype {
            case .float32: return raw.bindMemory(to: Float.self).map { Double($0) }
            case .float64: return Array(raw.bindMemory(to: Double.self))
            case .int32: return raw.bindMemory(to: Int32.self).map { Double($0) }
            case .int64: return raw.bindMemory(to: Int64.self).map { Double($0) }
            }
        }
    }

    public func int64s() -> [Int64] {
        bytes.withUnsafeBytes { raw in
            switch dtype {
            case .float32: return raw.bindMemory(to: Float.self).map { Int64($0) }
            case .float64: return raw.bindMemory(to: Double.self).map { Int64($0) }
            case .int32: return raw.bindMemory(to: Int32.self).map { Int64($0) }
            case .int64: return Array(raw.bindMemory(to: Int64.self))
            }
        }
    }
}

public enum NPYError: Error, CustomStringConvertible, Equatable {
    case notNPY(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .notNPY(let why): return "not a .npy file: \(why)"
        case .unsupported(let what): return "unsupported .npy: \(what)"
        }
    }
}

extension NPYArray {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    public static func read(_ url: URL) throws -> NPYArray {
        try decode(Array(try Data(contentsOf: url)))
    }

    public static func decode(_ data: [UInt8]) throws -> NPYArray {
        guard data.count >= 10, Array(data[0..<6]) == magic else { throw NPYError.notNPY("bad magic") }
        let major = data[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(data[8]) | Int(data[9]) << 8
            headerStart = 10
        case 2, 3:
            guard data.count >= 12 else { throw NPYError.notNPY("truncated header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(data[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw NPYError.unsupported("format version \(major)")
        }
        guard data.count >= headerStart + headerLength else { throw NPYError.notNPY("truncated header") }
        let header = String(decoding: data[headerStart..<headerStart + headerLength], as: UTF8.self)
        let (descr, fortran, shape) = try parseHeader(header)
        guard let dtype = DType(rawValue: descr.replacingOccurrences(of: "=", with: "<")) else {
            throw NPYError.unsupported("dtype \(descr) (need <f4, <f8, <i4 or <i8)")
        }
        let body = headerStart + headerLength
        guard let needed = CheckedSize.bytes(shape: shape, elementSize: dtype.size) else {
            throw NPYError.notNPY("shape \(shape) is not a valid array size")
        }
        guard data.count - body >= needed else {
            throw NPYError.notNPY("data holds \(data.count - body) bytes, shape \(shape) needs \(needed)")
        }
        let array = NPYArray(shape: shape, dtype: dtype, bytes: Array(data[body..<body + needed]))
        return fortran ? array.fromFortranOrder() : array
    }

    /// The same array with its elements reordered from Fortran (column-major) to C order.
    func fromFortranOrder() -> NPYArray {
        guard shape.count > 1 else { return self }
        var out = [UInt8](repeating: 0, count: bytes.count)
        let size = dtype.size
        var index = [Int](repeating: 0, count: shape.count)
        for c in 0..<count {
            // index is the C-order multi-index of element c; its Fortran offset is sum(index[d] * prod(shape[..<d])).
            var f = 0, stride = 1
            for d in 0..<shape.count { f += index[d] * stride; stride *= shape[d] }
            out.replaceSubrange(c * size..<(c + 1) * size, with: bytes[f * size..<(f + 1) * size])
            var d = shape.count - 1
            while d >= 0 { index[d] += 1; if index[d] < shape[d] { break }; index[d] = 0; d -= 1 }
        }
        return NPYArray(shape: shape, dtype: dtype, bytes: out)
    }

    /// Parses NumPy's header: `{'descr': '<f4', 'fortran_order': False, 'shape': (116, 22, 3), }`.
    static func parseHeader(_ header: String) throws -> (String, Bool, [Int]) {
        func value(of key: String) -> Substring? {
            guard let keyRange = header.range(of: "'\(key)'") else { return nil }
            let rest = header[keyRange.upperBound...].drop { $0 == " " || $0 == ":" }
            return rest
        }
        guard let d = value(of: "descr"), d.first == "'",
              let end = d.dropFirst().firstIndex(of: "'") else { throw NPYError.notNPY("no descr in header") }
        let descr = String(d.dropFirst()[..<end])
        guard let f = value(of: "fortran_order") else { throw NPYError.notNPY("no fortran_order in header") }
        let fortran = f.hasPrefix("True")
        guard let s = value(of: "shape"), s.first == "(", let close = s.firstIndex(of: ")") else {
            throw NPYError.notNPY("no shape in header")
        }
        let dims = s[s.index(after: s.startIndex)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = try dims.map { (dim: String) -> Int in
            guard let n = Int(dim), n >= 0 else { throw NPYError.notNPY("bad shape dimension '\(dim)'") }
            return n
        }
        return (descr, fortran, shape)
    }

    public func encoded() -> [UInt8] {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': (\(dims)), }"
        // Pad with spaces so the data starts on a 64-byte boundary, newline last, as NumPy does.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        return NPYArray.magic + [1, 0, UInt8(length & 0xff), UInt8(length >> 8)] + Array(header.utf8) + bytes
    }

    public func write(_ url: URL) throws {
        try Data(encoded()).write(to: url, options: .atomic)
    }
}
