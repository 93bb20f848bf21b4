import Foundation

/// A refinement-instruction reply: "Assessment: ...\nRefinement: ..." or a
/// bare instruction. Fields hold the text after their labels.
public struct AssessmentReply: Sendable, Equatable {
    public static let satisfiedInstruction = "No refinements needed."

    public var assessment: String
    public var instruction: String
    /// The instruction is exactly "No refinements needed." (the loop's stop signal).
    public var satisfied: Bool { instruction == Self.satisfiedInstruction }

    public init(assessment: String, instruction: String) {
        (self.assessment, self.instruction) = (assessment, instruction)
    }

    /// Splits at the last "Refinement:"; without one the whole reply is the instruction.
    public init(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let label = trimmed.range(of: "Refinement:", options: .backwards) else {
            self.init(assessment: "", instruction: trimmed)
            return
        }
        var assessment = trimmed[..<label.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        if assessment.hasPrefix("Assessment:") { assessment = String(assessment.dropFirst("Assessment:".count)).trimmingCharacters(in: .whitespacesAndNewlines) }
        self.init(assessment: assessment, instruction: trimmed[label.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
