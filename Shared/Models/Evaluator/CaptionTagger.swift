/// A lemmatiser and part-of-speech tagger for free-text motion captions, so
/// that text that did not come from a tagged dataset can be embedded. It follows
/// HumanML3D's text processing (spaCy upstream): hyphens removed, tokens that
/// are not alphabetic dropped, nouns and verbs lemmatised except `left`.
/// Lexicon plus rules: closed-class words from lists, verbs from a list of the
/// verbs motion captions use (with their inflections), noun-or-verb words
/// decided by the word before, anything else a noun. The VIP word lists the
/// evaluator applies override most content-word tags anyway.
public struct CaptionTagger: Sendable {
    public init() {}

    /// "a man kicks" -> "a/DET man/NOUN kick/VERB".
    public func tagged(_ text: String) -> String {
        tag(text).map { "\($0.word)/\($0.tag)" }.joined(separator: " ")
    }

    public func tag(_ text: String) -> [(word: String, tag: String)] {
        var out: [(word: String, tag: String)] = []
        var previousWord: String?
        for word in Self.words(text) {
            let previous = out.last.map { (word: previousWord!, tag: $0.tag) }
            out.append(Self.classify(word, after: previous))
            previousWord = word
        }
        return out
    }

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

    /// `previous`: the word before as written, with its tag.
    static func classify(_ word: String, after previous: (word: String, tag: String)?) -> (word: String, tag: String) {
        if let verb = verbLemma(word), CaptionLexicon.nounOrVerb.contains(verb), verb == word || word == verb + "s",
           let previous, ["DET", "ADJ", "NUM"].contains(previous.tag) || possessives.contains(previous.word)
            || (previous.tag == "VERB" && previous.word.hasSuffix("ing")) {
            return (verb, "NOUN")
        }
        if let tag = CaptionLexicon.closedClass[word] { return (word, tag) }
        if let verb = verbLemma(word) { return (verb, "VERB") }
        if word.hasSuffix("ly"), word.count > 4 { return (word, "ADV") }
        if adjectiveEndings.contains(where: { word.hasSuffix($0) }), word.count > 5 { return (word, "ADJ") }
        return (nounLemma(word), "NOUN")
    }

    /// The word's base form if it is a known verb or an inflection of one.
    static func verbLemma(_ word: String) -> String? {
        if let irregular = CaptionLexicon.irregularVerbs[word], word != "left" { return irregular }
        let known = CaptionLexicon.verbs
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
        if let irregular = CaptionLexicon.irregularNouns[word] { return irregular }
        if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
        for suffix in ["ches", "shes", "sses", "xes"] where word.hasSuffix(suffix) { return String(word.dropLast(2)) }
        if word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is"), word.count > 3 {
            return String(word.dropLast())
        }
        return word
    }
}
