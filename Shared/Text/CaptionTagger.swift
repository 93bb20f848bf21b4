/// Turns a caption into HumanML3D's `word/POS` tokens, as its text processing
/// (spaCy upstream) does: hyphens removed, lowercase alphabetic words
/// (punctuation and digits dropped, clitics cut), nouns and verbs lemmatised
/// (never "left"), other words as written. Readings come from `Lexicon`, with
/// context choosing among them; `tokens` refuses words the lexicon lacks (the
/// dataset builder's captions must be fully known), `tagged` guesses them
/// (`WordGuesser`), for free text from users.
public enum CaptionTagger {
    public struct UnknownWord: Error, CustomStringConvertible {
        public let word: String
        public let caption: String
        public var description: String { "word '\(word)' of \"\(caption)\" is not in the caption lexicon" }
    }

    /// Strict: every word must be in the lexicon.
    public static func tokens(_ caption: String) throws -> [String] {
        try tag(caption) { word, _ in throw UnknownWord(word: word, caption: caption) }
    }

    /// Lenient: unknown words are guessed from their form. "a man kicks" -> "a/DET man/NOUN kick/VERB".
    public static func tagged(_ caption: String) -> String {
        // The guesser never throws.
        (try? tag(caption, unknown: WordGuesser.reading))!.joined(separator: " ")
    }

    typealias Previous = (word: String, tag: String)

    private static func tag(_ caption: String, unknown: (String, Previous?) throws -> (tag: String, lemma: String)) throws -> [String] {
        let words = WordGuesser.words(caption)
        var tags: [String] = []
        var out: [String] = []
        for (i, word) in words.enumerated() {
            let previous = i > 0 ? (word: words[i - 1], tag: tags[i - 1]) : nil
            let readings = try Lexicon.entries[word] ?? [unknown(word, previous)]
            let next = i + 1 < words.count ? Lexicon.entries[words[i + 1]]?.map(\.tag) ?? [] : []
            let reading = choose(readings, word: word, previous: previous?.tag ?? "", next: next)
            tags.append(reading.tag)
            let lemma = (reading.tag == "NOUN" || reading.tag == "VERB") && word != "left" ? reading.lemma : word
            out.append("\(lemma)/\(reading.tag)")
        }
        return out
    }

    /// - next: the possible tags of the following word (its first is its usual one).
    static func choose(_ readings: [(tag: String, lemma: String)], word: String, previous: String,
                       next nextReadings: [String]) -> (tag: String, lemma: String) {
        let next = nextReadings.first ?? ""
        func reading(_ tag: String) -> (tag: String, lemma: String)? { readings.first { $0.tag == tag } }
        guard readings.count > 1 else { return readings[0] }
        if word == "left" || word == "right" {
            if next == "NOUN" { return reading("ADJ")! }
            return previous == "DET" ? reading("NOUN")! : reading("ADV")!
        }
        if word == "to" { return nextReadings.contains("VERB") ? reading("PART")! : reading("ADP")! }
        if let noun = reading("NOUN"), ["DET", "ADJ", "NUM"].contains(previous) { return noun }
        if let verb = reading("VERB"), ["PRON", "NOUN", "PART", "AUX"].contains(previous) { return verb }
        if let adposition = reading("ADP"), ["DET", "NOUN", "PRON"].contains(next) { return adposition }
        return readings[0]
    }
}
