import Foundation
import IRGText
import Testing

/// The BPE tokenizer against HF `tokenizers` on 2,000+ strings: real KIT-ML
/// captions, unicode, emoji, whitespace runs, motion spans, literal special
/// tokens and prompt templates. Ids and decoded text must be identical.
@Suite struct TokenizerTests {
    static let cases: [(text: String, ids: [Int], decoded: String)] = {
        let list = try! Gemma2Fixtures.json("tokenizer_cases.json") as! [[String: Any]]
        return list.map { ($0["text"] as! String, $0["ids"] as! [Int], $0["decoded"] as! String) }
    }()

    @Test(arguments: ["model_a", "model_b"])
    func encodesLikeHuggingFace(folder: String) async throws {
        // model_a's merges are [a, b] arrays, model_b's "a b" strings.
        let tokenizer = try BPETokenizer(contentsOf: Gemma2Fixtures.url(folder))
        #expect(Self.cases.count >= 2000)
        let mismatches = try await offPool {
            try Self.cases.compactMap { c -> String? in
                let ids = try tokenizer.encode(c.text)
                return ids == c.ids ? nil : "\(c.text.debugDescription): \(ids) vs \(c.ids)"
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(Self.cases.count) differ, e.g. \(mismatches.prefix(3))")
    }

    @Test func decodesLikeHuggingFace() async throws {
        let tokenizer = try BPETokenizer(contentsOf: Gemma2Fixtures.url("model_a"))
        let mismatches = try await offPool {
            try Self.cases.compactMap { c -> String? in
                let text = try tokenizer.decode(c.ids)
                return text == c.decoded ? nil : "\(c.ids): \(text.debugDescription) vs \(c.decoded.debugDescription)"
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(Self.cases.count) differ, e.g. \(mismatches.prefix(3))")
    }

    @Test func motionTokensAndSpecials() throws {
        let tokenizer = try BPETokenizer(contentsOf: Gemma2Fixtures.url("model_a"))
        let motion = try #require(tokenizer.id(of: "<Motion>"))
        #expect(tokenizer.id(of: "</Motion>") == motion + 1)
        #expect(tokenizer.id(of: "<Motion_511>") == motion + 513)
        #expect(try tokenizer.encode("<Motion><Motion_0></Motion>") == [2, motion, motion + 2, motion + 1])
        #expect(throws: TokenizerError.self) { try tokenizer.decode([tokenizer.vocabularySize]) }
    }
}
