import IRGMotion

/// A caption as the evaluator reads it: `word/POS` tokens (HumanML3D's tagged
/// form), cut to the first `maxLength`, between `sos/OTHER` and `eos/OTHER`.
/// The reference pads to maxLength + 2 with `unk/OTHER`, but the GRU is packed
/// by the caption's own length, so the padding never reaches the result.
public struct TaggedCaption: Sendable, Equatable {
    public let tokens: [(word: String, tag: String)]

    public static func == (a: Self, b: Self) -> Bool { a.tokens.elementsEqual(b.tokens) { $0 == $1 } }

    /// `tagged`: whitespace-separated `word/POS` tokens.
    public init(tagged: String, maxLength: Int = 20) throws {
        let words = try tagged.split(whereSeparator: \.isWhitespace).map { token -> (String, String) in
            let parts = token.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw MotionError.parse("'\(token)' is not a word/POS token")
            }
            return (String(parts[0]), String(parts[1]))
        }
        guard !words.isEmpty else { throw MotionError.parse("the caption has no words") }
        tokens = [("sos", "OTHER")] + words.prefix(maxLength) + [("eos", "OTHER")]
    }

    /// Is `text` already in the tagged form (every token `word/POS`)?
    public static func isTagged(_ text: String) -> Bool {
        let tokens = text.split(whereSeparator: \.isWhitespace)
        return !tokens.isEmpty && tokens.allSatisfy { $0.split(separator: "/", omittingEmptySubsequences: false).count == 2 }
    }
}
