import Foundation

/// Reads a chat model's answer as a plan, a caption request or a reply.
///
/// Accepted, so that models that drift from the prompt still work:
/// - the JSON object alone, inside a ```json fence, or with text around it;
/// - `plan` as Motion-Agent's string ("1. MotionLLM.generate('...'); 2. ...")
///   in either quote style, with apostrophes inside the quoted text;
/// - `plan` as a JSON list of steps: strings (plain captions, or one
///   `MotionLLM.generate(...)` call each) or objects with a `text` field;
/// - `MotionLLM.caption(...)` anywhere in the plan: a caption request;
/// - no plan (absent, null, empty) and a `reasoning` string: a reply.
/// Anything else is a `ParseError` whose message is shown to the model on the retry.
public enum PlannerReplyParser {
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    public static func parse(_ text: String) throws -> PlannerAnswer {
        let object = try jsonObject(in: text)
        let reasoning = (object["reasoning"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        switch object["plan"] {
        case nil, is NSNull:
            break
        case let plan as String where !plan.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
            return try answer(planString: plan, reasoning: reasoning)
        case let steps as [Any] where !steps.isEmpty:
            return try answer(planList: steps, reasoning: reasoning)
        case is String, is [Any]:
            break  // an empty plan: a reply, if there is one
        default:
            throw ParseError("\"plan\" must be a string of MotionLLM calls or a JSON list of steps")
        }
        guard !reasoning.isEmpty else {
            throw ParseError("the object has neither a non-empty \"plan\" nor a \"reasoning\" answer")
        }
        return .reply(reasoning)
    }

    /// The first `{` to the last `}` of the text, parsed as a JSON object.
    static func jsonObject(in text: String) throws -> [String: Any] {
        guard let open = text.firstIndex(of: "{"), let close = text.lastIndex(of: "}"), open < close else {
            throw ParseError("the answer holds no JSON object")
        }
        let data = Data(text[open...close].utf8)
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ParseError("the answer's JSON does not parse: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)")
        }
        guard let object = parsed as? [String: Any] else { throw ParseError("the answer's JSON is not an object") }
        return object
    }

    static func answer(planString plan: String, reasoning: String) throws -> PlannerAnswer {
        let steps = generateCalls(in: plan)
        if !steps.isEmpty { return .plan(steps, reasoning: reasoning) }
        if plan.contains("MotionLLM.caption(") { return .caption }
        throw ParseError("the plan names no MotionLLM.generate('...') or MotionLLM.caption(...) call")
    }

    static func answer(planList: [Any], reasoning: String) throws -> PlannerAnswer {
        var steps: [String] = []
        var captions = 0
        for (i, item) in planList.enumerated() {
            let text: String
            switch item {
            case let s as String: text = s
            case let o as [String: Any]:
                guard let s = (o["text"] ?? o["description"] ?? o["motion"]) as? String else {
                    throw ParseError("plan step \(i + 1) is an object without a \"text\" string")
                }
                text = s
            default: throw ParseError("plan step \(i + 1) is neither a string nor an object")
            }
            if text.contains("MotionLLM.caption(") { captions += 1; continue }
            let calls = generateCalls(in: text)
            steps += calls.isEmpty ? [strippedNumbering(text)] : calls
        }
        steps = steps.filter { !$0.isEmpty }
        if !steps.isEmpty { return .plan(steps, reasoning: reasoning) }
        if captions > 0 { return .caption }
        throw ParseError("every plan step is empty")
    }

    /// The quoted argument of every `MotionLLM.generate(...)`, in order. The
    /// argument ends at its opening quote followed by `)`, so "someone's" inside
    /// single quotes survives.
    static func generateCalls(in text: String) -> [String] {
        let pattern = #"MotionLLM\.generate\(\s*(['"“‘])(.*?)(['"”’])\s*\)"#
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 2), in: text).map { String(text[$0]).trimmingCharacters(in: .whitespacesAndNewlines) }
        }.filter { !$0.isEmpty }
    }

    /// "1. A person walks." -> "A person walks."
    static func strippedNumbering(_ step: String) -> String {
        var s = Substring(step.trimmingCharacters(in: .whitespacesAndNewlines))
        if let dot = s.firstIndex(where: { $0 == "." || $0 == ")" }), s[..<dot].allSatisfy(\.isNumber), dot > s.startIndex {
            s = s[s.index(after: dot)...]
        }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
