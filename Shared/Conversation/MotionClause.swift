/// One simple motion in words, read from a clause of a request ("wave with the
/// right hand twice") by the built-in planner's grammar (docs/conversation.md):
///
///     clause := lead* manner? (VERB | LIGHT DET? VERB-NOUN | DET VERB-NOUN) rest
///
/// `lead` is politeness, connectives, the subject and auxiliaries ("please",
/// "then", "make them", "the person should"); LIGHT is "do", "take",
/// "perform", "give" ("do a kick", "take a bow"); a count ("twice", "three
/// times", "x3") anywhere in `rest` repeats the step. The step's caption is
/// "a person <verb, third person> <rest> <manner>." as the training captions read.
public struct MotionClause: Equatable, Sendable {
    public var verb: MotionVocabulary.Verb
    /// The words after the verb, count removed ("with the right hand").
    public var rest: [String]
    public var manner: String?
    public var count: Int

    public var caption: String {
        (["a person", verb.third] + rest + [manner].compactMap { $0 }).joined(separator: " ") + "."
    }

    /// Why a clause is not a motion, in words the reply can show.
    public enum Failure: Error, Equatable {
        case noMotion(String)
        case tooManyRepeats(String, Int)
    }

    static let leads: Set = [
        "please", "then", "and", "also", "next", "finally", "first", "afterwards", "now", "so", "ok", "okay", "generate",
        "create", "show", "me", "i", "want", "would", "like", "need", "can", "could", "you", "let's", "lets", "let", "have",
        "make", "them", "him", "her", "should", "will", "to", "is", "are", "a", "an", "the", "person", "man", "woman",
        "someone", "somebody", "they", "he", "she", "character", "human", "motion", "where", "which", "that", "of", "be",
        "animation", "another", "some", "again", "one", "more",
    ]
    static let lightVerbs: Set = ["do", "does", "doing", "perform", "performs", "performing", "take", "takes", "taking",
                                  "give", "gives", "giving", "execute", "executes", "try", "tries"]
    static let determiners: Set = ["a", "an", "the", "some", "several", "another", "one", "few", "little", "quick", "small", "big"]

    /// Reads one clause, or says why it is not a motion.
    public static func parse(_ text: String) throws -> MotionClause {
        var words = ConversationText.words(text)
        let count = try extractCount(&words, clause: text)
        var manner: String?
        var i = 0
        while i < words.count {
            if let adverb = mannerAdverb(words[i]) { manner = adverb; i += 1; continue }
            if MotionVocabulary.verbForms[words[i]] != nil { break }
            if lightVerbs.contains(words[i]) { break }
            guard leads.contains(words[i]) else { throw Failure.noMotion(text) }
            i += 1
        }
        guard i < words.count else { throw Failure.noMotion(text) }
        var verbAt = i
        if lightVerbs.contains(words[i]) {
            verbAt += 1
            while verbAt < words.count, determiners.contains(words[verbAt]) { verbAt += 1 }
        }
        guard verbAt < words.count, let verb = MotionVocabulary.verb(named: words[verbAt]) else { throw Failure.noMotion(text) }
        return MotionClause(verb: verb, rest: Array(words[(verbAt + 1)...]), manner: manner, count: count)
    }

    /// A single-word manner adverb at the front ("slowly walk forward").
    static func mannerAdverb(_ word: String) -> String? {
        MotionVocabulary.mannerPhrases.contains(word) ? word : nil
    }

    /// Removes a count phrase and returns the count (1 without one).
    static func extractCount(_ words: inout [String], clause: String) throws -> Int {
        func take(_ range: Range<Int>, _ n: Int) throws -> Int {
            guard n <= MotionVocabulary.maxRepeats else { throw Failure.tooManyRepeats(clause, n) }
            words.removeSubrange(range)
            return max(n, 1)
        }
        for (i, word) in words.enumerated() {
            switch word {
            case "once": return try take(i..<i + 1, 1)
            case "twice": return try take(i..<i + 1, 2)
            case "thrice": return try take(i..<i + 1, 3)
            case "times" where i > 0:
                if let n = Int(words[i - 1]) ?? MotionVocabulary.numbers[words[i - 1]] { return try take(i - 1..<i + 1, n) }
                if i > 2, let n = MotionVocabulary.numbers[words[(i - 3)..<(i - 1)].joined(separator: " ") + " " + words[i - 1]] {
                    return try take(i - 3..<i + 1, n)
                }
                if i > 1, let n = MotionVocabulary.numbers[words[i - 2] + " " + words[i - 1]] { return try take(i - 2..<i + 1, n) }
            default:
                if word.count > 1, word.first == "x", let n = Int(word.dropFirst()) { return try take(i..<i + 1, n) }
                if word.count > 1, word.last == "x", let n = Int(word.dropLast()) { return try take(i..<i + 1, n) }
            }
        }
        return 1
    }

    /// The verb of a step's caption (however it was written: by this grammar or by a chat model).
    public static func verb(ofCaption caption: String) -> MotionVocabulary.Verb? {
        ConversationText.words(caption).lazy.compactMap { MotionVocabulary.verbForms[$0] }.first
    }
}

/// Text handling the built-in planner shares.
public enum ConversationText {
    /// Lower-case words, punctuation other than apostrophes and hyphens dropped.
    public static func words(_ text: String) -> [String] {
        let kept = text.lowercased().map { (c: Character) -> Character in
            c.isLetter || c.isNumber || c == "'" || c == "-" ? c : " "
        }
        return String(kept).split(separator: " ").map(String.init)
    }
}
