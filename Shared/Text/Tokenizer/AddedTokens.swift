/// A token of tokenizer.json's `added_tokens`: split out of the text before
/// the BPE model sees it.
public struct AddedToken: Sendable {
    public let id: Int
    public let content: [UInt8]
    public let special: Bool
    /// Matched in the normalized text (by its normalized content) rather than the raw text.
    public let normalized: Bool
    /// The match takes the whitespace before / after it.
    public let lstrip: Bool, rstrip: Bool

    init(json: RawJSON) throws {
        guard let id = json["id"]?.tokenID, let content = json["content"]?.bytes, !content.isEmpty else {
            throw TokenizerError.invalid("an added token lacks its id or content")
        }
        if json["single_word"]?.boolValue == true {
            throw TokenizerError.unsupported("single_word added token '\(String(decoding: content, as: UTF8.self))'")
        }
        self.id = id
        self.content = content
        self.special = json["special"]?.boolValue ?? false
        self.normalized = json["normalized"]?.boolValue ?? !special
        self.lstrip = json["lstrip"]?.boolValue ?? false
        self.rstrip = json["rstrip"]?.boolValue ?? false
    }
}

/// Splits text around occurrences of a set of added tokens, leftmost match
/// first and the longest among those that start there (the Aho-Corasick
/// LeftmostLongest rule `tokenizers` uses).
struct AddedTokenMatcher: Sendable {
    enum Segment: Equatable {
        case token(Int)
        case text(Range<Int>)
    }

    /// Patterns grouped by their first byte, longest first.
    private let byFirstByte: [UInt8: [(pattern: [UInt8], token: AddedToken)]]

    init(_ patterns: [(pattern: [UInt8], token: AddedToken)]) {
        byFirstByte = Dictionary(grouping: patterns.filter { !$0.pattern.isEmpty }, by: { $0.pattern[0] })
            .mapValues { $0.sorted { $0.pattern.count > $1.pattern.count } }
    }

    var isEmpty: Bool { byFirstByte.isEmpty }

    func split(_ text: [UInt8]) -> [Segment] {
        var segments: [Segment] = []
        var textStart = 0, i = 0
        while i < text.count {
            guard let candidates = byFirstByte[text[i]],
                  let hit = candidates.first(where: { i + $0.pattern.count <= text.count && text[i ..< i + $0.pattern.count].elementsEqual($0.pattern) })
            else { i += 1; continue }
            var (start, end) = (i, i + hit.pattern.count)
            if hit.token.lstrip { while start > textStart, isWhitespace(text[start - 1]) { start -= 1 } }
            if hit.token.rstrip { while end < text.count, isWhitespace(text[end]) { end += 1 } }
            if start > textStart { segments.append(.text(textStart ..< start)) }
            segments.append(.token(hit.token.id))
            textStart = end
            i = end
        }
        if textStart < text.count { segments.append(.text(textStart ..< text.count)) }
        return segments
    }

    private func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
}
