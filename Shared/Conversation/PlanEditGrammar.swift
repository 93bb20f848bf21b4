import Foundation

/// Reads a message as an edit of the previous plan, and applies edits.
/// The message is matched whole, lower-case, without punctuation; a pattern
/// matches only when its target names steps ("remove the bow") and its new
/// motions parse as clauses, so "skip forward" stays a request.
public enum PlanEditGrammar {
    public static func parse(_ message: String) -> PlanEdit? {
        let m = ConversationText.words(message).joined(separator: " ")
        if ["undo", "undo that", "go back", "revert", "revert that", "undo the last change"].contains(m) { return .undo }
        if let g = match(m, #"^(?:remove|delete|drop|cut|omit|skip|take out|leave out|get rid of|no|without) (.+)$"#),
           let target = PlanEdit.Target.parse(g[0]) {
            return .remove(target)
        }
        for pattern in [#"^(?:replace|swap|substitute|exchange) (.+?) (?:with|by|for) (.+)$"#, #"^change (.+?) (?:to|into) (.+)$"#,
                        #"^turn (.+?) into (.+)$"#] {
            if let g = match(m, pattern), let target = PlanEdit.Target.parse(g[0]), let steps = try? steps(g[1]) {
                return .replace(target, with: steps)
            }
        }
        if let g = match(m, #"^instead of (.+)$"#) {  // "instead of the wave, jump": the target is the longest prefix that names steps
            let words = g[0].split(separator: " ").map(String.init)
            for cut in stride(from: words.count - 1, through: 1, by: -1) {
                if let target = PlanEdit.Target.parse(words[..<cut].joined(separator: " ")),
                   let steps = try? steps(words[cut...].joined(separator: " ")) {
                    return .replace(target, with: steps)
                }
            }
        }
        if let g = match(m, #"^(.+) instead of (.+)$"#), let target = PlanEdit.Target.parse(g[1]), let steps = try? steps(g[0]) {
            return .replace(target, with: steps)
        }
        if let g = match(m, #"^(?:add|insert|append|include|put) (.+)$"#) ?? match(m, #"^(?:then|and then|after that|also|afterwards) (.+)$"#),
           let edit = addition(g[0]) {
            return edit
        }
        if let g = match(m, #"^(?:end|finish) with (.+)$"#), let steps = try? steps(g[0]) { return .add(steps, at: .end) }
        if let g = match(m, #"^(?:start|begin) with (.+)$"#), let steps = try? steps(g[0]) { return .add(steps, at: .start) }
        if let g = match(m, #"^make (.+?) (?:more |a bit |a little |much |very |even |look |seem )*([a-z]+)$"#),
           let manner = MotionVocabulary.manners[g[1]], let target = PlanEdit.Target.parse(g[0]) {
            return .manner(target, manner)
        }
        // "repeat the wave (three times)"; "do the wave three times" (with "do", only with "the" and a count,
        // so "do a kick" stays a request)
        if let g = match(m, #"^repeat (.+)$"#) ?? match(m, #"^do (the .+)$"#) {
            var words = g[0].split(separator: " ").map(String.init)
            let count = (try? MotionClause.extractCount(&words, clause: g[0])) ?? 0
            let counted = words.count < g[0].split(separator: " ").count
            if let target = PlanEdit.Target.parse(words.joined(separator: " ")), count > 0, counted || m.hasPrefix("repeat") {
                return .repeatSteps(target, counted ? count : 2)
            }
        }
        return nil
    }

    /// "a kick at the end", "a jump after the walk", "a bow first".
    static func addition(_ text: String) -> PlanEdit? {
        let positions: [(String, PlanEdit.Position)] = [
            (" at the very end", .end), (" at the end", .end), (" in the end", .end), (" last", .end), (" afterwards", .end),
            (" at the start", .start), (" at the beginning", .start), (" first", .start),
        ]
        for (suffix, position) in positions where text.hasSuffix(suffix) {
            return (try? steps(String(text.dropLast(suffix.count)))).map { .add($0, at: position) }
        }
        for (word, make) in [(" after ", PlanEdit.Position.after), (" before ", PlanEdit.Position.before)] {
            if let range = text.range(of: word, options: .backwards),
               let target = PlanEdit.Target.parse(String(text[range.upperBound...])),
               let steps = try? steps(String(text[..<range.lowerBound])) {
                return .add(steps, at: make(target))
            }
        }
        return (try? steps(text)).map { .add($0, at: .end) }
    }

    /// The captions of a (possibly compound) request, repeats expanded.
    public static func steps(_ text: String) throws -> [String] {
        let clauses = RequestClauses.split(text)
        guard !clauses.isEmpty else { throw MotionClause.Failure.noMotion(text) }
        return try clauses.flatMap { clause -> [String] in
            let parsed = try MotionClause.parse(clause)
            return Array(repeating: parsed.caption, count: parsed.count)
        }
    }

    /// The plan after the edit, or why it does not apply. `.undo` is the planner's (it needs the history).
    public static func apply(_ edit: PlanEdit, to plan: [String]) -> Result<[String], EditFailure> {
        func named(_ target: PlanEdit.Target) -> Result<[Int], EditFailure> {
            let indices = target.indices(in: plan)
            return indices.isEmpty ? .failure(.noSuchStep(target.phrase)) : .success(indices)
        }
        switch edit {
        case .undo:
            return .success(plan)
        case .remove(let target):
            return named(target).flatMap { indices in
                let kept = plan.indices.filter { !indices.contains($0) }.map { plan[$0] }
                return kept.isEmpty ? .failure(.wouldBeEmpty) : .success(kept)
            }
        case .replace(let target, let steps):
            return named(target).map { indices in
                plan.indices.flatMap { indices.contains($0) ? steps : [plan[$0]] }
            }
        case .add(let steps, let position):
            switch position {
            case .end: return .success(plan + steps)
            case .start: return .success(steps + plan)
            case .after(let target): return named(target).map { plan[...$0.last!] + steps + plan[($0.last! + 1)...] }
            case .before(let target): return named(target).map { plan[..<$0[0]] + steps + plan[$0[0]...] }
            }
        case .manner(let target, let manner):
            return named(target).map { indices in
                plan.indices.map { indices.contains($0) ? restyled(plan[$0], manner) : plan[$0] }
            }
        case .repeatSteps(let target, let count):
            return named(target).map { indices in
                var out: [String] = []
                var i = 0
                while i < plan.count {  // a run of the same named step becomes `count` of it
                    guard indices.contains(i) else { out.append(plan[i]); i += 1; continue }
                    var end = i + 1
                    while end < plan.count, indices.contains(end), plan[end] == plan[i] { end += 1 }
                    out += Array(repeating: plan[i], count: count)
                    i = end
                }
                return out
            }
        }
    }

    public enum EditFailure: Error, Equatable {
        case noSuchStep(String)
        case wouldBeEmpty
    }

    /// The caption with its manner replaced: "a person walks forward happily." -> "... sadly."
    static func restyled(_ caption: String, _ manner: String) -> String {
        var text = caption.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix(".") { text.removeLast() }
        if let old = MotionVocabulary.mannerPhrases.first(where: { text.lowercased().hasSuffix(" " + $0) }) {
            text.removeLast(old.count + 1)
        }
        return text + " " + manner + "."
    }

    static func match(_ text: String, _ pattern: String) -> [String]? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (1..<found.numberOfRanges).map { Range(found.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
    }
}
