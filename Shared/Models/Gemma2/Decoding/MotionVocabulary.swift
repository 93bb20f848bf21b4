import IRGMotion
import IRGText

/// The 514 tokens MotionLLM adds: `<Motion>`, `</Motion>` and `<Motion_0>`
/// ... `<Motion_511>`, laid out consecutively (256000, 256001, 256002 + i
/// in Gemma2's vocabulary), so `</Motion>` and the codes are one contiguous
/// range of output rows.
public struct MotionVocabulary: Sendable, Equatable {
    public let open: Int
    public let close: Int
    public let firstCode: Int
    public let codebookSize: Int

    public init(open: Int, codebookSize: Int = 512) {
        (self.open, close, firstCode, self.codebookSize) = (open, open + 1, open + 2, codebookSize)
    }

    /// Found in a tokenizer; an error if the tokens are missing or not consecutive.
    public init(tokenizer: BPETokenizer, codebookSize: Int = 512) throws {
        guard let open = tokenizer.id(of: "<Motion>") else { throw MotionError.parse("the tokenizer has no <Motion> token") }
        self.init(open: open, codebookSize: codebookSize)
        let expected = ["</Motion>": close] .merging((0..<codebookSize).map { ("<Motion_\($0)>", firstCode + $0) }) { a, _ in a }
        for (token, id) in expected where tokenizer.id(of: token) != id {
            throw MotionError.parse("\(token) is not at id \(id): the motion tokens must follow <Motion> consecutively")
        }
    }

    /// What may follow inside a span: `</Motion>` or a code.
    public var spanRange: Range<Int> { close ..< firstCode + codebookSize }

    public func isCode(_ id: Int) -> Bool { (firstCode ..< firstCode + codebookSize).contains(id) }

    /// Codes of the motion span in `ids`: the first span (or the last when
    /// `last`), from after `<Motion>` (or from the start when
    /// `startsInSpan`: the prompt ended with `<Motion>`) to `</Motion>` or the end.
    /// No span, or a span without codes, is an error, never "code 0".
    public func codes(in ids: [Int], startsInSpan: Bool = false, last: Bool = false) throws -> [Int] {
        var spans: [[Int]] = []
        var current: [Int]? = startsInSpan ? [] : nil
        for id in ids {
            if id == open {
                if let c = current { spans.append(c) }
                current = []
            } else if id == close {
                if let c = current { spans.append(c) }
                current = nil
            } else if isCode(id) {
                current?.append(id - firstCode)
            }
        }
        if let c = current { spans.append(c) }
        guard let span = last ? spans.last : spans.first else { throw MotionError.parse("the response has no motion span") }
        guard !span.isEmpty else { throw MotionError.parse("the response's motion span is empty") }
        return span
    }
}
