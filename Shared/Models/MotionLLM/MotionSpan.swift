import IRGMotion

/// How motion codes are written in MotionLLM's text: `<Motion><Motion_12><Motion_5>...</Motion>`
/// with no spaces (REFERENCE-NOTES section 3).
public enum MotionSpan {
    /// The span for `codes`; an empty motion or a code outside the codebook is an error.
    public static func text(_ codes: [Int], codebookSize: Int = 512) throws -> String {
        guard !codes.isEmpty else { throw MotionError.parse("the motion has no codes (an empty motion span)") }
        if let bad = codes.first(where: { !(0..<codebookSize).contains($0) }) {
            throw MotionError.parse("motion code \(bad) is outside the codebook (0..<\(codebookSize))")
        }
        return "<Motion>" + codes.map { "<Motion_\($0)>" }.joined() + "</Motion>"
    }
}
