import Foundation

/// The native stage-2/3 answer (REFERENCE-NOTES section 4), parsed:
/// `<think>[plan]..[/plan]\n[analyze]..[/analyze]\n` then rounds of
/// `[generate]<Motion>..</Motion>[/generate]`, `[plan]`, `[assess]Assessment: ..\nRefinement: ..[/assess]`, `[plan]`.
///
/// A round starts at each `[generate]`; its plans are those after the
/// previous round's `[assess]` (or after `[analyze]`) up to its own
/// `[assess]`. Plans before `[analyze]` introduce the analysis and belong to
/// no round. A section whose closing tag is missing (a cut-off transcript)
/// runs to the end of the text.
public struct InterleaveTranscript: Sendable, Equatable {
    public struct Round: Sendable, Equatable {
        /// The `[generate]` section's text, motion span included.
        public var generation: String
        public var assessment = AssessmentReply(assessment: "", instruction: "")
        public var plans: [String] = []
    }

    public var analysis = ""
    public var rounds: [Round] = []
    /// The model closed `</think>`.
    public var closedThinking = false

    public init(parsing text: String) {
        closedThinking = text.contains("</think>")
        var pendingPlans: [String] = []
        var assessed = true  // whether the current round (if any) has had its [assess]
        for section in Self.sections(of: text) {
            switch section.tag {
            case "plan":
                if !assessed, !rounds.isEmpty { rounds[rounds.count - 1].plans.append(section.body) } else { pendingPlans.append(section.body) }
            case "analyze":
                analysis = section.body
                pendingPlans = []
            case "generate":
                rounds.append(Round(generation: section.body, plans: pendingPlans))
                pendingPlans = []
                assessed = false
            case "assess":
                if rounds.isEmpty { rounds.append(Round(generation: "", plans: pendingPlans)) }
                rounds[rounds.count - 1].assessment = AssessmentReply(parsing: section.body)
                pendingPlans = []
                assessed = true
            default:
                break
            }
        }
        // Plans after the last [assess] (the one before </think>) close the last round.
        if !rounds.isEmpty { rounds[rounds.count - 1].plans += pendingPlans }
    }

    static let tags = ["plan", "analyze", "generate", "assess"]

    /// `[tag]body[/tag]` sections in order, bodies trimmed.
    static func sections(of text: String) -> [(tag: String, body: String)] {
        var found: [(String, String)] = []
        var rest = text[...]
        while let open = tags.compactMap({ tag in rest.range(of: "[\(tag)]").map { (tag, $0) } }).min(by: { $0.1.lowerBound < $1.1.lowerBound }) {
            let (tag, range) = open
            let after = rest[range.upperBound...]
            let close = after.range(of: "[/\(tag)]")
            found.append((tag, String(after[..<(close?.lowerBound ?? after.endIndex)]).trimmingCharacters(in: .whitespacesAndNewlines)))
            rest = after[(close?.upperBound ?? after.endIndex)...]
        }
        return found
    }
}
