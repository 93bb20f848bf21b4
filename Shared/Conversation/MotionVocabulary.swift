/// The words the built-in planner knows (docs/conversation.md): motion verbs
/// with their forms, manner words, and counts.
public enum MotionVocabulary {
    /// A motion verb: "wave" / "waves" / "waving"; the base form names it in edits ("the wave").
    public struct Verb: Sendable, Equatable {
        public let base: String
        public let third: String
        public let gerund: String
    }

    /// Base forms; the other forms follow English spelling rules, with the exceptions below.
    static let bases = [
        "walk", "run", "jog", "sprint", "dash", "jump", "hop", "skip", "leap", "wave", "bow", "kick", "punch",
        "slash", "dance", "sit", "stand", "turn", "spin", "rotate", "crouch", "squat", "kneel", "clap", "throw",
        "catch", "raise", "lift", "lower", "point", "reach", "stretch", "bend", "lean", "nod", "shake", "look",
        "step", "march", "stomp", "crawl", "climb", "fall", "lie", "roll", "swing", "push", "pull", "pick",
        "carry", "drink", "eat", "stumble", "limp", "salute", "call", "shout", "guide", "celebrate", "cheer",
        "fight", "box", "swim", "skate", "strut", "stroll", "sidestep", "shuffle", "tiptoe", "lunge", "dodge",
        "block", "stab", "swordfight", "greet", "hug", "sneak", "pace", "wander", "retreat", "bounce",
        "flap", "shrug", "stagger", "wobble", "balance", "rise", "get", "hold", "grab", "touch", "scratch",
        "rub", "play", "exercise", "warm", "cartwheel", "somersault", "flip", "pray", "applaud",
    ]

    /// Verbs whose last consonant doubles before -ing (run -> running).
    static let doubling: Set = ["run", "jog", "hop", "skip", "sit", "step", "clap", "swim", "stab", "flap", "grab", "rub",
                                "get", "strut", "nod", "tiptoe"]

    static let irregularGerunds = ["lie": "lying", "tiptoe": "tiptoeing"]

    public static let verbs: [String: Verb] = {
        var table: [String: Verb] = [:]
        for base in bases where table[base] == nil {
            table[base] = Verb(base: base, third: third(base), gerund: gerund(base))
        }
        return table
    }()

    /// Any form of a verb -> the verb.
    public static let verbForms: [String: Verb] = {
        var forms: [String: Verb] = [:]
        for verb in verbs.values {
            for form in [verb.base, verb.third, verb.gerund] { forms[form] = verb }
        }
        return forms
    }()

    /// The verb an edit names: "the walk", "the walking", "the waves", "the jumps".
    public static func verb(named noun: String) -> Verb? {
        if let verb = verbForms[noun] { return verb }
        if noun.hasSuffix("s"), let verb = verbs[String(noun.dropLast())] { return verb }
        return nil
    }

    static func third(_ base: String) -> String {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        if base.hasSuffix("y"), let before = base.dropLast().last, !vowels.contains(before) { return base.dropLast() + "ies" }
        if ["s", "sh", "ch", "x", "z", "o"].contains(where: { base.hasSuffix($0) }) && base != "tiptoe" { return base + "es" }
        return base + "s"
    }

    static func gerund(_ base: String) -> String {
        if let irregular = irregularGerunds[base] { return irregular }
        if doubling.contains(base) { return base + String(base.last!) + "ing" }
        if base.hasSuffix("e") && !base.hasSuffix("ee") { return base.dropLast() + "ing" }
        return base + "ing"
    }

    /// Manner words: what "make the walk sad" and "walk sadly" mean, as the phrase
    /// appended to a step ("a person walks forward sadly."). Keys are adjectives
    /// and their comparatives; the values are also recognised inside captions,
    /// so a new manner replaces the old one.
    public static let manners: [String: String] = [
        "happy": "happily", "happier": "happily", "cheerful": "cheerfully", "joyful": "joyfully",
        "sad": "sadly", "sadder": "sadly", "gloomy": "gloomily", "depressed": "sadly",
        "angry": "angrily", "angrier": "angrily", "furious": "furiously", "mad": "angrily",
        "proud": "proudly", "prouder": "proudly", "confident": "confidently",
        "timid": "timidly", "shy": "shyly", "nervous": "nervously", "scared": "fearfully", "afraid": "fearfully",
        "tired": "wearily", "exhausted": "wearily", "weary": "wearily", "lazy": "lazily",
        "slow": "slowly", "slower": "slowly", "fast": "quickly", "faster": "quickly", "quick": "quickly", "quicker": "quickly",
        "energetic": "energetically", "excited": "excitedly", "calm": "calmly", "calmer": "calmly",
        "careful": "carefully", "graceful": "gracefully", "elegant": "elegantly", "relaxed": "casually", "casual": "casually",
        "old": "like an old person", "older": "like an old person", "elderly": "like an elderly person",
        "childish": "like a child", "playful": "playfully", "young": "in a youthful way", "youthful": "in a youthful way",
        "heavy": "heavily", "heavier": "heavily", "light": "lightly", "lighter": "lightly",
        "loud": "loudly", "quiet": "quietly", "quieter": "quietly", "stiff": "stiffly", "drunk": "like a drunk person",
    ]

    /// Manner phrases as they appear in captions, longest first, so one replaces another cleanly.
    static let mannerPhrases: [String] = Array(Set(manners.values)).sorted { $0.count > $1.count }

    /// Counts: "twice", "three times", "3 times", "x3".
    public static let numbers: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "a couple of": 2, "a few": 3,
    ]
    public static let maxRepeats = 10
}
