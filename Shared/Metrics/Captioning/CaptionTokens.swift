/// A caption as the captioning metrics see it: lowercased, every character that
/// is not a letter, a digit or whitespace turned into a space, split on
/// whitespace (no PTB tokenizer).
public func captionTokens(_ text: String) -> [String] {
    let cleaned = text.lowercased().map { $0.isLetter || $0.isNumber || $0.isWhitespace ? $0 : " " }
    return String(cleaned).split(whereSeparator: \.isWhitespace).map(String.init)
}

/// Counts of every n-gram of length 1...maxOrder.
struct NGramCounts {
    /// Index n-1 holds the n-grams of length n.
    var byOrder: [[[String]: Int]]

    init(_ words: [String], maxOrder: Int = 4) {
        byOrder = (1...maxOrder).map { n in
            var counts: [[String]: Int] = [:]
            if words.count >= n { for i in 0...(words.count - n) { counts[Array(words[i ..< i + n]), default: 0] += 1 } }
            return counts
        }
    }
}
