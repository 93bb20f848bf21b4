import Foundation

/// A reading for a word the caption lexicon lacks, from closed-class lists,
/// the verbs motion captions use (with their inflections) and word endings:
/// noun-or-verb words are nouns after a determiner, adjective, number,
/// possessive or gerund; what nothing matches is a noun.
enum WordGuesser {
    /// Lowercased alphabetic words; hyphens vanish ("t-pose" -> "tpose") and
    /// clitics are cut ("person's" -> "person", "don't" -> "do").
    static func words(_ text: String) -> [String] {
        let cleaned = text.lowercased().replacingOccurrences(of: "-", with: "")
        return cleaned.split { !($0.isLetter || $0 == "'" || $0 == "’") }.compactMap { token -> String? in
            var word = String(token).replacingOccurrences(of: "’", with: "'")
            if word.hasSuffix("n't") { word = String(word.dropLast(3)) }
            if let apostrophe = word.firstIndex(of: "'") { word = String(word[..<apostrophe]) }
            return word.isEmpty || !word.allSatisfy(\.isLetter) ? nil : word
        }
    }

    static let possessives: Set<String> = ["his", "her", "their", "its", "my", "your", "our"]
    static let adjectiveEndings = ["al", "ous", "ful", "ive", "ic", "able", "ible", "less"]

    /// `previous`: the word before as written, with its tag. Returns (tag, lemma).
    static func reading(_ word: String, after previous: (word: String, tag: String)?) -> (tag: String, lemma: String) {
        if let verb = verbLemma(word), GuessLexicon.nounOrVerb.contains(verb), verb == word || word == verb + "s",
           let previous, ["DET", "ADJ", "NUM"].contains(previous.tag) || possessives.contains(previous.word)
            || (previous.tag == "VERB" && previous.word.hasSuffix("ing")) {
            return ("NOUN", verb)
        }
        if let tag = GuessLexicon.closedClass[word] { return (tag, word) }
        if let verb = verbLemma(word) { return ("VERB", verb) }
        if word.hasSuffix("ly"), word.count > 4 { return ("ADV", word) }
        if adjectiveEndings.contains(where: { word.hasSuffix($0) }), word.count > 5 { return ("ADJ", word) }
        return ("NOUN", nounLemma(word))
    }

    /// The word's base form if it is a known verb or an inflection of one.
    static func verbLemma(_ word: String) -> String? {
        if let irregular = GuessLexicon.irregularVerbs[word], word != "left" { return irregular }
        let known = GuessLexicon.verbs
        if known.contains(word) { return word }
        for (suffix, replacements) in [("ies", ["y"]), ("es", ["", "e"]), ("s", [""]), ("ing", ["", "e"]), ("ed", ["", "e"]),
                                       ("ied", ["y"])] where word.hasSuffix(suffix) {
            let stem = String(word.dropLast(suffix.count))
            for ending in replacements where known.contains(stem + ending) { return stem + ending }
            // Doubled final consonant: stepping, stopped.
            if suffix == "ing" || suffix == "ed", stem.count > 2, stem.last == stem.dropLast().last, known.contains(String(stem.dropLast())) {
                return String(stem.dropLast())
            }
        }
        return nil
    }

    static func nounLemma(_ word: String) -> String {
        if let irregular = GuessLexicon.irregularNouns[word] { return irregular }
        if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
        for suffix in ["ches", "shes", "sses", "xes"] where word.hasSuffix(suffix) { return String(word.dropLast(2)) }
        if word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is"), word.count > 3 {
            return String(word.dropLast())
        }
        return word
    }
}
