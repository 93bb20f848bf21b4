/// Splits a compound request into clauses, one motion each: at commas,
/// semicolons and full stops; at "then", "after that", "afterwards",
/// "followed by", "next", "finally"; and at "and" when a motion follows it
/// ("walk and wave"), not when it joins words ("the left and right hands").
public enum RequestClauses {
    static let breaks: Set = ["then", "afterwards", "next", "finally"]
    static let breakPairs: Set = ["after that", "followed by", "and then", "after which"]

    public static func split(_ text: String) -> [String] {
        let tokens = text.lowercased()
            .replacingOccurrences(of: ",", with: " , ").replacingOccurrences(of: ";", with: " ; ")
            .replacingOccurrences(of: ". ", with: " . ").replacingOccurrences(of: "!", with: " . ")
            .split(separator: " ").map(String.init)
        var clauses: [[String]] = [[]]
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            let pair = i + 1 < tokens.count ? token + " " + tokens[i + 1] : ""
            if breakPairs.contains(pair) {
                clauses.append([])
                i += 2
                continue
            }
            if [",", ";", "."].contains(token) || breaks.contains(token) || (token == "and" && startsMotion(tokens, at: i + 1)) {
                clauses.append([])
            } else {
                clauses[clauses.count - 1].append(token)
            }
            i += 1
        }
        return clauses.map { $0.joined(separator: " ") }.filter { !ConversationText.words($0).isEmpty }
    }

    /// Whether the words from `index` begin a motion clause ("turn left", "the person bows", "do a kick").
    static func startsMotion(_ tokens: [String], at index: Int) -> Bool {
        guard index < tokens.count else { return false }
        let rest = tokens[index...].prefix { ![",", ";", "."].contains($0) && $0 != "and" }
        guard let first = rest.first.map({ ConversationText.words($0).first ?? "" }) else { return false }
        if MotionVocabulary.verbForms[first] != nil || MotionClause.lightVerbs.contains(first) { return true }
        if ["then", "after"].contains(first) { return true }
        // A subject or manner word, then a verb: "and the person bows", "and slowly turns".
        return (try? MotionClause.parse(rest.joined(separator: " "))) != nil
            && ["a", "the", "he", "she", "they", "someone", "then"].contains(first) || MotionClause.mannerAdverb(first) != nil
    }
}
