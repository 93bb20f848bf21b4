/// A JSON document whose strings stay as their UTF-8 bytes.
///
/// Why not JSONSerialization: Swift strings compare by canonical
/// equivalence, so a vocabulary holding both "é" (U+00E9) and "e" + U+0301
/// would collapse into one dictionary key; tokenizer.json distinguishes them
/// byte for byte, and so must we.
public indirect enum RawJSON: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string([UInt8])
    case array([RawJSON])
    /// Members in file order.
    case object([(key: [UInt8], value: RawJSON)])

    public static func parse(_ bytes: [UInt8]) throws -> RawJSON {
        var parser = Parser(bytes: bytes)
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("trailing characters") }
        return value
    }

    /// The member named `key` of an object; nil for anything else.
    public subscript(_ key: String) -> RawJSON? {
        guard case .object(let members) = self else { return nil }
        let wanted = Array(key.utf8)
        return members.first { $0.key == wanted }?.value
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }
    public var text: String? { if case .string(let b) = self { return String(decoding: b, as: UTF8.self) } else { return nil } }
    public var bytes: [UInt8]? { if case .string(let b) = self { return b } else { return nil } }
    /// A whole number that fits an Int (1e300 does not: nil, not a trap).
    public var int: Int? { if case .number(let n) = self { return Int(exactly: n) } else { return nil } }
    /// A token id: a whole number from 0 to Int32.max (ids are Int32 in the encoder), else nil.
    public var tokenID: Int? { int.flatMap { (0...Int(Int32.max)).contains($0) ? $0 : nil } }
    public var double: Double? { if case .number(let n) = self { return n } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var array: [RawJSON]? { if case .array(let a) = self { return a } else { return nil } }
    public var members: [(key: [UInt8], value: RawJSON)]? { if case .object(let m) = self { return m } else { return nil } }
}

public struct RawJSONError: Error, CustomStringConvertible {
    public let description: String
}

private struct Parser {
    let bytes: [UInt8]
    var position = 0
    /// Arrays and objects open now. Each level is a recursive call, so thousands of `[`
    /// would overflow the stack (a fuzzer's find); real tokenizer.json files nest 5 deep.
    var depth = 0
    static let maximumDepth = 256

    func error(_ what: String) -> RawJSONError { RawJSONError(description: "invalid JSON at byte \(position): \(what)") }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func value() throws -> RawJSON {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try nested { try $0.object() }
        case UInt8(ascii: "["): return try nested { try $0.array() }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    mutating func nested(_ parse: (inout Parser) throws -> RawJSON) throws -> RawJSON {
        guard depth < Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
        depth += 1
        defer { depth -= 1 }
        return try parse(&self)
    }

    mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard position + w.count <= bytes.count, Array(bytes[position ..< position + w.count]) == w else { throw error("expected \(word)") }
        position += w.count
    }

    mutating func expect(_ c: Character) throws {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == c.asciiValue! else { throw error("expected '\(c)'") }
        position += 1
    }

    /// Consumes `c` if it comes next (after whitespace).
    mutating func take(_ c: Character) -> Bool {
        skipWhitespace()
        if position < bytes.count, bytes[position] == c.asciiValue! { position += 1; return true }
        return false
    }

    mutating func object() throws -> RawJSON {
        try expect("{")
        var members: [(key: [UInt8], value: RawJSON)] = []
        if take("}") { return .object(members) }
        repeat {
            skipWhitespace()
            let key = try string()
            try expect(":")
            members.append((key, try value()))
        } while take(",")
        try expect("}")
        return .object(members)
    }

    mutating func array() throws -> RawJSON {
        try expect("[")
        var items: [RawJSON] = []
        if take("]") { return .array(items) }
        repeat { items.append(try value()) } while take(",")
        try expect("]")
        return .array(items)
    }

    mutating func number() throws -> Double {
        let start = position
        while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) { position += 1 }
        guard let n = Double(String(decoding: bytes[start..<position], as: UTF8.self)) else { throw error("bad number") }
        return n
    }

    mutating func string() throws -> [UInt8] {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string") }
        position += 1
        var out: [UInt8] = []
        while position < bytes.count {
            let b = bytes[position]
            position += 1
            switch b {
            case UInt8(ascii: "\""): return out
            case UInt8(ascii: "\\"): try escape(into: &out)
            default: out.append(b)
            }
        }
        throw error("unterminated string")
    }

    mutating func escape(into out: inout [UInt8]) throws {
        guard position < bytes.count else { throw error("unterminated escape") }
        let c = bytes[position]
        position += 1
        switch c {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "u"): out.append(contentsOf: try unicodeEscape())
        default: out.append(c)  // \" \\ \/
        }
    }

    /// \uXXXX, joining a surrogate pair; a lone surrogate becomes U+FFFD as serde_json's lossy readers do.
    mutating func unicodeEscape() throws -> [UInt8] {
        var unit = try hex4()
        if (0xD800..<0xDC00).contains(unit), position + 6 <= bytes.count,
           bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
            let save = position
            position += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low) {
                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            } else {
                position = save
            }
        }
        let scalar = Unicode.Scalar(unit) ?? "\u{FFFD}"
        return Array(String(Character(scalar)).utf8)
    }

    mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[position ..< position + 4], as: UTF8.self), radix: 16)
        else { throw error("bad \\u escape") }
        position += 4
        return v
    }
}
