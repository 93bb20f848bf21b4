import Foundation

/// tokenizer.json's normalizer, on UTF-8 bytes: Replace (literal pattern),
/// Prepend, the Unicode normal forms, and Sequences of them. Gemma's is a
/// single Replace(" " -> "▁"). Regex patterns are refused by name.
public indirect enum TextNormalizer: Sendable {
    case replace(pattern: [UInt8], content: [UInt8])
    case prepend([UInt8])
    case unicodeForm(String)
    case sequence([TextNormalizer])

    init?(json: RawJSON) throws {
        guard !json.isNull else { return nil }
        switch json["type"]?.text {
        case "Replace":
            let (pattern, content) = try literalReplacement(json, in: "normalizer")
            self = .replace(pattern: pattern, content: content)
        case "Prepend":
            self = .prepend(json["prepend"]?.bytes ?? [])
        case let form? where ["NFC", "NFD", "NFKC", "NFKD"].contains(form):
            self = .unicodeForm(form)
        case "Sequence":
            self = .sequence(try (json["normalizers"]?.array ?? []).compactMap { try TextNormalizer(json: $0) })
        case let other:
            throw TokenizerError.unsupported("normalizer \(other ?? "without a type")")
        }
    }

    func apply(_ text: [UInt8]) -> [UInt8] {
        switch self {
        case .replace(let pattern, let content): return replacing(pattern, with: content, in: text)
        case .prepend(let prefix): return text.isEmpty ? text : prefix + text
        case .sequence(let steps): return steps.reduce(text) { $1.apply($0) }
        case .unicodeForm(let form):
            let s = String(decoding: text, as: UTF8.self)
            let normalized: String
            switch form {
            case "NFC": normalized = s.precomposedStringWithCanonicalMapping
            case "NFD": normalized = s.decomposedStringWithCanonicalMapping
            case "NFKC": normalized = s.precomposedStringWithCompatibilityMapping
            default: normalized = s.decomposedStringWithCompatibilityMapping
            }
            return Array(normalized.utf8)
        }
    }
}

/// The (pattern, content) of a Replace step with a literal String pattern
/// (normalizers and decoders spell it alike); Regex patterns are refused.
func literalReplacement(_ json: RawJSON, in stage: String) throws -> ([UInt8], [UInt8]) {
    guard let pattern = json["pattern"]?["String"]?.bytes, !pattern.isEmpty, let content = json["content"]?.bytes else {
        throw TokenizerError.unsupported("Replace \(stage) without a literal String pattern")
    }
    return (pattern, content)
}

/// Every non-overlapping occurrence of `pattern`, left to right, replaced.
func replacing(_ pattern: [UInt8], with content: [UInt8], in text: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(text.count + text.count / 2)
    var i = 0
    while i < text.count {
        if text[i] == pattern[0], i + pattern.count <= text.count, text[i ..< i + pattern.count].elementsEqual(pattern) {
            out += content
            i += pattern.count
        } else {
            out.append(text[i])
            i += 1
        }
    }
    return out
}
