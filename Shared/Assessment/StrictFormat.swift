import Foundation

/// IRG-MotionLLM's `strict_format` reward (stage 3, REFERENCE-NOTES section 9):
/// 1 when Python's `re.search` finds its pattern in the decoded completion,
/// else 0. The pattern is IRG's, one line; without DOTALL `.` stops at a
/// line break while `\s` crosses it, in ICU as in Python.
public enum StrictFormat {
    /// IRG's pattern with Python's meanings spelled out for ICU: `.` is any
    /// character but "\n" (ICU's also stops at "\r", U+0085, U+2028 and U+2029),
    /// `\s` is str.isspace()'s set (ICU's lacks U+001C to U+001F), and `\d`
    /// is a Unicode decimal digit in both.
    static let pattern: String = {
        let irg = #"<think>\s*\[plan\].*?\[/plan\]\s*\[analyze\].*?\[/analyze\]\s*\[plan\].*?\[/plan\]\s*"#
            + #"(?:(?:\[generate\]<Motion>(?:<Motion_\d{1,3}>)+</Motion>\[/generate\]\s*\[plan\].*?\[/plan\]\s*"#
            + #"\[assess\].*?\[/assess\])\s*\[plan\].*?\[/plan\]\s*)*</think>\s*"#
        let pythonSpace = #"[\t\n\x{0B}\x{0C}\r\x{1C}-\x{1F} \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]"#
        return irg.replacingOccurrences(of: ".*?", with: #"[^\n]*?"#)
            .replacingOccurrences(of: #"\s"#, with: pythonSpace)
    }()

    static let regex = try! NSRegularExpression(pattern: pattern)

    public static func reward(_ completion: String) -> Double {
        let range = NSRange(completion.startIndex..., in: completion)
        return regex.firstMatch(in: completion, range: range) == nil ? 0 : 1
    }
}
