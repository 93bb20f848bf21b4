import Foundation

/// The motion spans of a decoded response, `<Motion><Motion_12>...</Motion>`,
/// as code lists in order. IRG's reward scores the last one.
public enum TranscriptMotions {
    static let span = try! NSRegularExpression(pattern: #"<Motion>((?:<Motion_[0-9]+>)*)</Motion>"#)
    static let code = try! NSRegularExpression(pattern: #"<Motion_([0-9]+)>"#)

    public static func spans(in text: String) -> [[Int]] {
        let whole = NSRange(text.startIndex..., in: text)
        return span.matches(in: text, range: whole).map { match in
            let inner = Range(match.range(at: 1), in: text).map { String(text[$0]) } ?? ""
            return code.matches(in: inner, range: NSRange(inner.startIndex..., in: inner)).map { m in
                Int(inner[Range(m.range(at: 1), in: inner)!]) ?? -1
            }
        }.filter { !$0.isEmpty }
    }
}
