/// MotionLLM's prompt templates (REFERENCE-NOTES section 4), verbatim.
public enum MotionLLMPrompt {
    public static let system = "You are an assistant who helps users understand or generate 3D human motion representations."

    /// system + "\n\nUser: " + user + "\n\n Response:", with ".." collapsed to "." after filling.
    /// The tokenizer adds `<bos>` in front.
    public static func irg(user: String) -> String {
        (system + "\n\nUser: " + user + "\n\n Response:").replacingDoubleDots()
    }
}

extension String {
    /// Every ".." replaced by "." (Python's str.replace, left to right, non-overlapping).
    func replacingDoubleDots() -> String {
        var out = ""
        var chars = self.makeIterator()
        var pendingDot = false
        while let c = chars.next() {
            if c == "." {
                if pendingDot { out.append("."); pendingDot = false } else { pendingDot = true }
            } else {
                if pendingDot { out.append("."); pendingDot = false }
                out.append(c)
            }
        }
        if pendingDot { out.append(".") }
        return out
    }
}
