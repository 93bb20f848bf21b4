import Foundation

/// The files `irg eval captions` reads: predictions one per line (an empty
/// line is an empty caption; a final newline ends the last line) and a JSON
/// list of reference lists, one list per prediction line.
public enum CaptionFiles {
    public static func predictions(_ url: URL) throws -> [String] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if text.hasSuffix("\n") { lines.removeLast() }
        return lines
    }

    public static func references(_ url: URL) throws -> [[String]] {
        let data = try Data(contentsOf: url)
        guard let lists = try? JSONDecoder().decode([[String]].self, from: data) else {
            throw MetricError.invalid("\(url.path): references must be a JSON list of lists of strings")
        }
        return lists
    }
}
