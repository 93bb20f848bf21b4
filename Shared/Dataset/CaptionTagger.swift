/// Turns a caption into HumanML3D's `word/POS` tokens: lowercase words
/// without punctuation; nouns and verbs lemmatised (never "left"), other
/// words as written. Readings come from `Lexicon`; context picks among them.
public enum CaptionTagger {
    public struct UnknownWord: Error, CustomStringConvertible {
        public let word: String
        public let caption: String
        public var description: String { "word '\(word)' of \"\(caption)\" is not in the caption lexicon" }
    }

    public static func tokens(_ caption: String) throws -> [String] {
        let words = caption.lowercased().split { !$0.isLetter && $0 != "'" }.map(String.init)
        var tags: [String] = []
        var out: [String] = []
        for (i, word) in words.enumerated() {
            guard let readings = Lexicon.entries[word] else { throw UnknownWord(word: word, caption: caption) }
            let previous = tags.last ?? ""
            let next = i + 1 < words.count ? Lexicon.entries[words[i + 1]]?.map(\.tag) ?? [] : []
            let reading = choose(readings, word: word, previous: previous, next: next)
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
