import Foundation

/// The motion spans of a decoded response as code lists, in order; IRG's
/// reward scores the last one. Parsed as IRG parses generated motion
/// (REFERENCE-NOTES section 4): from each `<Motion>`, the `<Motion_i>` tokens
/// up to `</Motion>` (or the end, for a response cut off inside a span), any
/// other token between them left out.
public enum TranscriptMotions {
    static let code = try! NSRegularExpression(pattern: #"<Motion_([0-9]+)>"#)

    public static func spans(in text: String) -> [[Int]] {
        text.components(separatedBy: "<Motion>").dropFirst().map { part -> [Int] in
            let inside = part.components(separatedBy: "</Motion>")[0]
            return code.matches(in: inside, range: NSRange(inside.startIndex..., in: inside)).map { m in
                Int(inside[Range(m.range(at: 1), in: inside)!]) ?? -1
            }
        }.filter { !$0.isEmpty }
    }
}
