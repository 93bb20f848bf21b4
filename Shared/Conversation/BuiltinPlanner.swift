import Foundation

/// The planner used when no chat endpoint is configured, so conversation
/// works offline. It reads a written-down grammar (docs/conversation.md):
/// compound requests (RequestClauses, MotionClause), edits of the previous
/// plan (PlanEditGrammar), and questions about a motion (answered with the
/// generator's caption). What it cannot read gets a reply saying what it
/// understood and what not; it never guesses.
public struct BuiltinPlanner: Planner {
    public let name = "builtin"
    /// Steps a plan may hold.
    public let maxSteps: Int

    public init(maxSteps: Int = 16) {
        self.maxSteps = maxSteps
    }

    public func answer(_ context: PlannerContext) async throws -> PlannerResult {
        let answer = decide(context)
        return PlannerResult(answer: answer, added: [.assistant(Self.json(answer))])
    }

    public func decide(_ context: PlannerContext) -> PlannerAnswer {
        if let caption = context.caption {
            return .reply("The generator describes the motion as: \"\(caption)\"")
        }
        let message = Self.withoutPoliteness(context.message)
        if context.motionAttached || Self.isQuestion(message) {
            guard context.motionAvailable else {
                return .reply("There is no motion to talk about yet: ask for one first, or send one with the message.")
            }
            return .caption
        }
        let previous = context.previousPlan
        if !previous.isEmpty, let edit = PlanEditGrammar.parse(message) {
            return edited(previous, by: edit, history: context.history)
        }
        return request(message)
    }

    /// A new plan from a (compound) request, or what was and was not understood.
    func request(_ message: String) -> PlannerAnswer {
        var steps: [String] = []
        var problems: [String] = []
        for clause in RequestClauses.split(message) {
            do {
                let parsed = try MotionClause.parse(clause)
                steps += Array(repeating: parsed.caption, count: parsed.count)
            } catch MotionClause.Failure.tooManyRepeats(let text, let n) {
                problems.append("\"\(text)\" (\(n) repeats; at most \(MotionVocabulary.maxRepeats))")
            } catch {
                problems.append("\"\(clause)\" (no motion I know)")
            }
        }
        if steps.isEmpty && problems.isEmpty { problems.append("\"\(message)\" (no motion in it)") }
        if !problems.isEmpty { return .reply(notUnderstood(steps, problems)) }
        if steps.count > maxSteps {
            return .reply("That plan has \(steps.count) steps; at most \(maxSteps) fit in one turn. Nothing was generated.")
        }
        return .plan(steps, reasoning: steps.count == 1 ? "One motion." : "\(steps.count) motions, one after another.")
    }

    func edited(_ plan: [String], by edit: PlanEdit, history: [PlannerTurn]) -> PlannerAnswer {
        if edit == .undo {
            let plans = history.map(\.plan).filter { !$0.isEmpty }
            guard plans.count >= 2 else { return .reply("There is no earlier plan to go back to.") }
            return .plan(plans[plans.count - 2], reasoning: "Back to the plan before the last change.")
        }
        switch PlanEditGrammar.apply(edit, to: plan) {
        case .success(let steps) where steps.count > maxSteps:
            return .reply("The edited plan would have \(steps.count) steps; at most \(maxSteps) fit in one turn. Nothing was generated.")
        case .success(let steps):
            return .plan(steps, reasoning: Self.describe(edit))
        case .failure(.noSuchStep(let phrase)):
            return .reply("The current plan has no \(phrase.replacingOccurrences(of: "the ", with: "")); its steps are: "
                          + Self.numbered(plan) + ". Nothing was generated.")
        case .failure(.wouldBeEmpty):
            return .reply("That would remove every step; ask for a new motion instead. Nothing was generated.")
        }
    }

    static func describe(_ edit: PlanEdit) -> String {
        switch edit {
        case .remove(let target): "Removed \(target.phrase)."
        case .replace(let target, let steps): "Replaced \(target.phrase) with: \(steps.joined(separator: " "))"
        case .add(let steps, let position):
            switch position {
            case .end: "Added at the end: \(steps.joined(separator: " "))"
            case .start: "Added at the start: \(steps.joined(separator: " "))"
            case .after(let target): "Added after \(target.phrase): \(steps.joined(separator: " "))"
            case .before(let target): "Added before \(target.phrase): \(steps.joined(separator: " "))"
            }
        case .manner(let target, let manner): "Now \(target.phrase) is done \(manner)."
        case .repeatSteps(let target, let count): "Now \(target.phrase) is done \(count) times."
        case .undo: "Back to the plan before the last change."
        }
    }

    func notUnderstood(_ understood: [String], _ problems: [String]) -> String {
        var reply = understood.isEmpty ? "" : "I understood: " + Self.numbered(understood) + ". "
        reply += "I did not understand " + problems.joined(separator: ", ") + ". Nothing was generated. "
        reply += Self.help
        return reply
    }

    static let help = """
    I plan motions such as "walk forward, then wave with the right hand twice and bow", and edit the last plan: \
    "make the walk sad", "remove the bow", "add a kick at the end", "replace the wave with a jump", \
    "repeat the jump three times", "undo". Ask "what is the person doing?" about a motion.
    """

    static let questionWords: Set = ["what", "which", "who", "how", "why", "when", "where", "is", "are", "was", "were", "does",
                                     "did", "describe", "caption", "explain", "tell", "identify", "guess"]

    static func isQuestion(_ message: String) -> Bool {
        ConversationText.words(message).first.map(questionWords.contains) ?? false
    }

    /// "please", "can you", "could you", "would you" at the front.
    static func withoutPoliteness(_ message: String) -> String {
        var words = message.split(separator: " ").map(String.init)
        while let first = words.first?.lowercased().trimmingCharacters(in: .punctuationCharacters) {
            if first == "please" { words.removeFirst(); continue }
            if ["can", "could", "would", "will"].contains(first), words.count > 1,
               words[1].lowercased().trimmingCharacters(in: .punctuationCharacters) == "you" {
                words.removeFirst(2)
                continue
            }
            break
        }
        return words.joined(separator: " ")
    }

    static func numbered(_ steps: [String]) -> String {
        steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: " ")
    }

    /// The answer in the chat planner's format, stored in the exchange, so a
    /// session continued with a chat model shows it consistent examples.
    static func json(_ answer: PlannerAnswer) -> String {
        var object: [String: String] = [:]
        switch answer {
        case .plan(let steps, let reasoning):
            object["plan"] = steps.enumerated().map { "\($0.offset + 1). MotionLLM.generate('\($0.element)')" }.joined(separator: "; ")
            if !reasoning.isEmpty { object["reasoning"] = reasoning }
        case .caption:
            object["plan"] = "1. MotionLLM.caption(\(PlannerPrompt.motionPlaceholder))"
        case .reply(let text):
            object["reasoning"] = text
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
