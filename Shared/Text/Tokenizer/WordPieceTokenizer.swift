import Foundation

/// A HF `tokenizer.json` WordPiece tokenizer (the kind BERT ships): added
/// tokens split out of the raw text, BertNormalizer, BertPreTokenizer, then
/// greedy longest-match-first pieces per word (a word with no full cover, or
/// longer than `max_input_chars_per_word`, is one unknown token), and the
/// post-processor's `[CLS] ... [SEP]`. Encoding gives the ids HF `tokenizers` gives.
public struct WordPieceTokenizer: Sendable {
    let vocabulary: [String: Int]
    let unknown: Int
    let continuingPrefix: String
    let maxCharsPerWord: Int
    let normalizer: BertNormalizer?
    let addedTokens: AddedTokenMatcher
    let prefix: [Int], suffix: [Int]
    /// Ids of the special added tokens ([CLS], [SEP], [PAD], ...).
    public let specialIds: Set<Int>

    public init(contentsOf url: URL) throws {
        try self.init(json: TokenizerFile.json(at: url))
    }

    public init(json: RawJSON) throws {
        guard let model = json["model"], model["type"]?.text == "WordPiece", let members = model["vocab"]?.members else {
            throw TokenizerError.unsupported("model type \(json["model"]?["type"]?.text ?? "missing") (expected WordPiece)")
        }
        if let pre = json["pre_tokenizer"], !pre.isNull, pre["type"]?.text != "BertPreTokenizer" {
            throw TokenizerError.unsupported("pre_tokenizer \(pre["type"]?.text ?? "?") (only BertPreTokenizer with WordPiece)")
        }
        var ids = try TokenizerFile.vocabulary(members)
        vocabulary = Dictionary(ids.map { (String(decoding: $0.key, as: UTF8.self), $0.value) }, uniquingKeysWith: { a, _ in a })
        let unknownToken = model["unk_token"]?.text ?? "[UNK]"
        guard let unknown = vocabulary[unknownToken] else { throw TokenizerError.invalid("unk_token \(unknownToken) is not in the vocabulary") }
        self.unknown = unknown
        continuingPrefix = model["continuing_subword_prefix"]?.text ?? "##"
        maxCharsPerWord = model["max_input_chars_per_word"]?.int ?? 100
        normalizer = try json["normalizer"].flatMap { $0.isNull ? nil : try BertNormalizer(json: $0) }
        let added = try (json["added_tokens"]?.array ?? []).map { try AddedToken(json: $0) }
        guard added.allSatisfy({ !$0.normalized }) else {
            throw TokenizerError.unsupported("normalized added tokens with WordPiece")
        }
        for token in added { ids[token.content] = token.id }
        addedTokens = AddedTokenMatcher(added.map { ($0.content, $0) })
        specialIds = Set(added.filter(\.special).map(\.id))
        (prefix, suffix) = try specialTokenTemplate(json["post_processor"], ids: ids)
    }

    /// The ids of `text`, with the post-processor's special tokens when asked.
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> [Int] {
        var out = addSpecialTokens ? prefix : []
        let raw = Array(text.utf8)
        for segment in addedTokens.split(raw) {
            switch segment {
            case .token(let id): out.append(id)
            case .text(let range):
                let piece = String(decoding: raw[range], as: UTF8.self)
                for word in BertPreTokenizer.words(normalizer?.apply(piece) ?? piece) { out += pieces(of: word) }
            }
        }
        return out + (addSpecialTokens ? suffix : [])
    }

    private func pieces(of word: String) -> [Int] {
        let chars = Array(word.unicodeScalars)
        guard chars.count <= maxCharsPerWord else { return [unknown] }
        var ids: [Int] = [], start = 0
        while start < chars.count {
            var end = chars.count, match: Int?
            while end > start {
                let piece = (start > 0 ? continuingPrefix : "") + String(String.UnicodeScalarView(chars[start ..< end]))
                if let id = vocabulary[piece] { match = id; break }
                end -= 1
            }
            guard let match else { return [unknown] }
            ids.append(match)
            start = end
        }
        return ids
    }
}
