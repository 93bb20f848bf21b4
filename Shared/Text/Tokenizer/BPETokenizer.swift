import Foundation

/// A HF `tokenizer.json` BPE tokenizer (the kind Gemma ships): added tokens
/// split out first, the normalizer, the BPE model with byte fallback, then
/// the post-processor's special tokens around the ids. Encoding gives the
/// ids HF `tokenizers` gives; decoding its text.
public struct BPETokenizer: Sendable {
    let model: BytePairModel
    let normalizer: TextNormalizer?
    let decoder: TokenDecoder?
    /// Added tokens matched in the raw text, then those matched in normalized text.
    let rawMatcher: AddedTokenMatcher
    let normalizedMatcher: AddedTokenMatcher
    /// Ids the post-processor puts before and after a single sequence.
    let prefix: [Int], suffix: [Int]
    /// id -> token bytes, added tokens included.
    let tokens: [Int: [UInt8]]
    let specialIds: Set<Int>
    let ids: [[UInt8]: Int]

    /// Ids run from 0 to vocabularySize - 1 (the largest id plus one).
    public var vocabularySize: Int { (tokens.keys.max() ?? -1) + 1 }

    public init(contentsOf url: URL) throws {
        try self.init(json: TokenizerFile.json(at: url))
    }

    public init(json: RawJSON) throws {
        guard let modelJSON = json["model"], modelJSON["type"]?.text == "BPE" || modelJSON["type"] == nil,
              let vocabulary = modelJSON["vocab"]?.members else {
            throw TokenizerError.unsupported("model type \(json["model"]?["type"]?.text ?? "missing") (only BPE)")
        }
        if let pre = json["pre_tokenizer"], !pre.isNull {
            throw TokenizerError.unsupported("pre_tokenizer \(pre["type"]?.text ?? "?")")
        }
        var ids = try TokenizerFile.vocabulary(vocabulary)
        model = try BytePairModel(
            vocabulary: ids, merges: try Self.merges(modelJSON["merges"]),
            unknown: modelJSON["unk_token"]?.bytes, fuseUnknown: modelJSON["fuse_unk"]?.boolValue ?? false,
            byteFallback: modelJSON["byte_fallback"]?.boolValue ?? false,
            ignoreMerges: modelJSON["ignore_merges"]?.boolValue ?? false)
        normalizer = try json["normalizer"].flatMap { try TextNormalizer(json: $0) }
        decoder = try json["decoder"].flatMap { try TokenDecoder(json: $0) }

        let added = try (json["added_tokens"]?.array ?? []).map { try AddedToken(json: $0) }
        var tokens = Dictionary(ids.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        for token in added {
            tokens[token.id] = token.content
            ids[token.content] = token.id
        }
        self.tokens = tokens
        self.ids = ids
        specialIds = Set(added.filter(\.special).map(\.id))
        rawMatcher = AddedTokenMatcher(added.filter { !$0.normalized }.map { ($0.content, $0) })
        normalizedMatcher = AddedTokenMatcher(added.filter(\.normalized).map { [normalizer] in
            (normalizer?.apply($0.content) ?? $0.content, $0)
        })
        (prefix, suffix) = try specialTokenTemplate(json["post_processor"], ids: ids)
    }

    /// Merges as "a b" strings or [a, b] arrays.
    private static func merges(_ json: RawJSON?) throws -> [([UInt8], [UInt8])] {
        try (json?.array ?? []).map { merge in
            if let pair = merge.array, pair.count == 2, let a = pair[0].bytes, let b = pair[1].bytes { return (a, b) }
            if let line = merge.bytes, let space = line.firstIndex(of: 0x20),
               !line[(space + 1)...].contains(0x20) {
                return (Array(line[..<space]), Array(line[(space + 1)...]))
            }
            throw TokenizerError.invalid("a merge is neither \"a b\" nor [a, b]")
        }
    }

    /// The ids of `text`, with the post-processor's special tokens (Gemma: `<bos>` first) when asked.
    public func encode(_ text: String, addSpecialTokens: Bool = true) throws -> [Int] {
        var out = addSpecialTokens ? prefix : []
        let raw = Array(text.utf8)
        for segment in rawMatcher.split(raw) {
            switch segment {
            case .token(let id): out.append(id)
            case .text(let range):
                let normalized = normalizer?.apply(Array(raw[range])) ?? Array(raw[range])
                for piece in normalizedMatcher.split(normalized) {
                    switch piece {
                    case .token(let id): out.append(id)
                    case .text(let r): out += try model.tokenize(normalized[r])
                    }
                }
            }
        }
        return out + (addSpecialTokens ? suffix : [])
    }

    /// The text of `ids`; special tokens left out unless asked for. An id
    /// outside the vocabulary is an error.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) throws -> String {
        let pieces = try ids.compactMap { id -> [UInt8]? in
            guard let token = tokens[id] else { throw TokenizerError.invalid("id \(id) is outside the vocabulary") }
            return skipSpecialTokens && specialIds.contains(id) ? nil : token
        }
        let decoded = decoder?.decode(pieces) ?? [Array(pieces.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ").utf8)]
        return String(decoding: decoded.flatMap { $0 }, as: UTF8.self)
    }

    /// The id of a token given by its exact text (e.g. "<Motion_3>"), if any.
    public func id(of token: String) -> Int? { ids[Array(token.utf8)] }

    /// The text of one token.
    public func token(_ id: Int) -> String? { tokens[id].map { String(decoding: $0, as: UTF8.self) } }
}
