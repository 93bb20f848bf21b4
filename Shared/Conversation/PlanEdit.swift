/// Edits of the previous plan the built-in planner understands
/// (docs/conversation.md). Each is read from the whole message; a target
/// names steps by their verb ("the walk", "the waves", "the second jump",
/// "the last step", "step 2", "everything").
public enum PlanEdit: Equatable, Sendable {
    case remove(Target)
    case replace(Target, with: [String])
    case add([String], at: Position)
    case manner(Target, String)
    case repeatSteps(Target, Int)
    case undo

    public enum Position: Equatable, Sendable {
        case end, start
        case after(Target), before(Target)
    }

    public struct Target: Equatable, Sendable {
        /// nil: every step ("it", "everything").
        public var verb: String?
        /// Words that must also be in the step's caption ("the wave with the right hand").
        public var words: [String] = []
        /// 1-based among the matches; -1 = the last; nil = all of them.
        public var ordinal: Int?
        /// "step 2", "the first step": by position in the plan, not by verb.
        public var position: Int?

        public static let all = Target(verb: nil)

        /// The steps of `plan` this target names.
        public func indices(in plan: [String]) -> [Int] {
            if let position {
                let index = position == -1 ? plan.count - 1 : position - 1
                return plan.indices.contains(index) ? [index] : []
            }
            let matches = plan.indices.filter { i in
                guard let verb else { return true }
                let words = ConversationText.words(plan[i])
                return MotionClause.verb(ofCaption: plan[i])?.base == verb && self.words.allSatisfy(words.contains)
            }
            guard let ordinal else { return matches }
            let index = ordinal == -1 ? matches.count - 1 : ordinal - 1
            return matches.indices.contains(index) ? [matches[index]] : []
        }

        /// How the reply names it.
        public var phrase: String {
            if let position { return position == -1 ? "the last step" : "step \(position)" }
            guard let verb else { return "every step" }
            return (["the", ordinalWord, verb] + words).compactMap { $0 }.joined(separator: " ")
        }

        var ordinalWord: String? {
            guard let ordinal else { return nil }
            return ordinal == -1 ? "last" : Self.ordinals.first { $0.value == ordinal }?.key
        }

        static let ordinals = ["first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1]
        static let everything: Set = ["it", "everything", "them", "all", "all of it", "the whole thing", "the motion",
                                      "the whole motion", "all the steps", "every step", "all steps", "the whole sequence"]
        static let filler: Set = ["step", "part", "motion", "move", "one", "bit", "movement"]

        /// "the second wave", "all the jumps", "step 2", "the last step", "it".
        public static func parse(_ text: String) -> Target? {
            let phrase = ConversationText.words(text).joined(separator: " ")
            if everything.contains(phrase) { return .all }
            var words = ConversationText.words(text)
            if words.first == "step", words.count == 2, let n = Int(words[1]) { return Target(verb: nil, position: n) }
            while let first = words.first, ["the", "a", "an", "all", "every", "each", "that", "this", "of"].contains(first) {
                words.removeFirst()
            }
            var ordinal: Int?
            if let first = words.first, let n = ordinals[first] {
                ordinal = n
                words.removeFirst()
            }
            words.removeAll { filler.contains($0) }
            if words.isEmpty, let ordinal { return Target(verb: nil, position: ordinal == -1 ? -1 : ordinal) }
            guard let first = words.first, let verb = MotionVocabulary.verb(named: first) else { return nil }
            return Target(verb: verb.base, words: Array(words.dropFirst()), ordinal: ordinal)
        }
    }
}
