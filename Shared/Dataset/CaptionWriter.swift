import IRGNumerics

/// Writes captions for a (content, style) label from the templates: a
/// subject, the phrasing, and the style woven in as an adjective of the
/// subject or as an adverb phrase.
public struct CaptionWriter {
    var random: SeededRandom

    public init(seed: UInt64) { random = SeededRandom(seed: seed) }

    /// `count` distinct captions from `phrasings` (cycling through them when fewer).
    public mutating func captions(_ phrasings: [String], style: CaptionTemplates.StyleWords?, count: Int) -> [String] {
        let order = random.shuffled(Array(phrasings.indices))
        return (0..<count).map { i in fill(phrasings[order[i % order.count]], style: style) }
    }

    mutating func fill(_ template: String, style: CaptionTemplates.StyleWords?) -> String {
        var who = random.pick(CaptionTemplates.subjects)
        var how = ""
        if let style, !style.adjectives.isEmpty {
            // The style goes into the subject half the time, where there is one.
            if template.contains("{who}") && random.next() % 2 == 0 {
                who = withArticle(random.pick(CaptionTemplates.styledSubjects)
                    .replacingOccurrences(of: "{adj}", with: random.pick(style.adjectives)))
            } else {
                how = random.pick(style.adverbs)
            }
        }
        return template.replacingOccurrences(of: "{who}", with: who).replacingOccurrences(of: "{how}", with: how)
    }

    /// "a angry person" -> "an angry person".
    func withArticle(_ phrase: String) -> String {
        guard phrase.hasPrefix("a "), let first = phrase.dropFirst(2).first, "aeiou".contains(first) else { return phrase }
        return "an " + phrase.dropFirst(2)
    }
}

/// Swaps the words "left" and "right", as HumanML3D does for mirrored motions.
public func mirrorCaption(_ caption: String) -> String {
    var out = "", word = ""
    func flush() {
        out += ["left": "right", "right": "left"][word.lowercased()] ?? word
        word = ""
    }
    for ch in caption {
        if ch.isLetter { word.append(ch) } else { flush(); out.append(ch) }
    }
    flush()
    return out
}
