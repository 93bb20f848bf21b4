import Foundation
import IRGText
import Testing

/// tokenizer.json files Scripts/fuzz.sh found that trapped: a vocabulary id of 1e300
/// converted to Int, one above Int32.max narrowed by the encoder, and arrays nested
/// thousands deep that overflowed the parser's stack. All are now errors.
@Suite struct TokenizerFuzzRegressionTests {
    @Test func aVocabularyIdBeyondIntIsRefused() throws {
        let url = Bundle.module.url(forResource: "Fixtures/fuzz/tokenizer-huge-id.json", withExtension: nil)!
        let json = try RawJSON.parse(Array(try Data(contentsOf: url)))
        #expect(throws: (any Error).self) { _ = try BPETokenizer(json: json) }
        #expect(try RawJSON.parse(Array("1e300".utf8)).int == nil && RawJSON.parse(Array("42".utf8)).int == 42)
    }

    /// An id above Int32.max trapped when the encoder narrowed it: the vocabulary now refuses it.
    @Test func aVocabularyIdBeyondInt32IsRefused() throws {
        let url = Bundle.module.url(forResource: "Fixtures/fuzz/tokenizer-id-beyond-int32.json", withExtension: nil)!
        let json = try RawJSON.parse(Array(try Data(contentsOf: url)))
        if let tokenizer = try? BPETokenizer(json: json) {  // if it loads at all, encoding must not trap
            _ = try? tokenizer.encode("a person walks forward <motion_id_1> é")
        }
        #expect(try RawJSON.parse(Array("4294967296".utf8)).tokenID == nil)
    }

    /// 47,000 `[` overflowed the stack of the recursive parser: deeper than 256 levels is an error.
    @Test func nestingThousandsDeepIsRefused() throws {
        let url = Bundle.module.url(forResource: "Fixtures/fuzz/tokenizer-nested-deep.json", withExtension: nil)!
        #expect(throws: RawJSONError.self) { _ = try RawJSON.parse(Array(try Data(contentsOf: url))) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: RawJSONError.self) { _ = try RawJSON.parse(Array(deep.utf8)) }
        let allowed = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect(try RawJSON.parse(Array(allowed.utf8)).array?.count == 1)
    }
}
