import Foundation

/// tokenizer.json's BertNormalizer, step by step as `tokenizers` runs it:
/// drop NUL, U+FFFD and other control/format characters and turn whitespace
/// into spaces; put spaces around CJK ideographs; strip accents (NFD, then
/// drop non-spacing marks); lowercase.
struct BertNormalizer: Sendable {
    var cleanText = true
    var handleChineseChars = true
    var stripAccents = true
    var lowercase = true

    init(json: RawJSON) throws {
        guard json["type"]?.text == "BertNormalizer" else {
            throw TokenizerError.unsupported("normalizer \(json["type"]?.text ?? "?") (only BertNormalizer with WordPiece)")
        }
        cleanText = json["clean_text"]?.boolValue ?? true
        handleChineseChars = json["handle_chinese_chars"]?.boolValue ?? true
        lowercase = json["lowercase"]?.boolValue ?? true
        // null: strip accents exactly when lowercasing (BERT's uncased models).
        stripAccents = json["strip_accents"]?.boolValue ?? lowercase
    }

    func apply(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        if cleanText {
            scalars = scalars.compactMap { c in
                if c.value == 0 || c.value == 0xFFFD || (Self.isOther(c) && !"\t\n\r".unicodeScalars.contains(c)) { return nil }
                return c.properties.isWhitespace ? " " : c
            }
        }
        if handleChineseChars {
            scalars = scalars.flatMap { Self.isCJK($0) ? [" ", $0, " "] : [$0] }
        }
        var out = String(String.UnicodeScalarView(scalars))
        if stripAccents {
            out = String(String.UnicodeScalarView(out.decomposedStringWithCanonicalMapping.unicodeScalars.filter {
                $0.properties.generalCategory != .nonspacingMark
            }))
        }
        if lowercase {
            out = String(String.UnicodeScalarView(out.unicodeScalars.flatMap { $0.properties.lowercaseMapping.unicodeScalars }))
        }
        return out
    }

    /// Rust's `char::is_other`: control, format, surrogate, private use, unassigned.
    static func isOther(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    static func isCJK(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: return true
        default: return false
        }
    }
}

/// tokenizer.json's BertPreTokenizer: words split on whitespace, and every
/// punctuation character (ASCII or Unicode P*) a word of its own.
enum BertPreTokenizer {
    static func words(_ text: String) -> [String] {
        var words: [String] = [], current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for c in text.unicodeScalars {
            if c.properties.isWhitespace {
                flush()
            } else if isPunctuation(c) {
                flush()
                words.append(String(c))
            } else {
                current.append(c)
            }
        }
        flush()
        return words
    }

    static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII, c.properties.generalCategory != .control, !c.properties.isAlphabetic, !("0"..."9").contains(c), c != " " {
            return true
        }
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .closePunctuation, .finalPunctuation, .initialPunctuation,
             .otherPunctuation, .openPunctuation: return true
        default: return false
        }
    }
}
