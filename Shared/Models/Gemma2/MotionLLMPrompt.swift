import Foundation

/// MotionLLM's prompt templates (REFERENCE-NOTES section 4), verbatim.
public enum MotionLLMPrompt {
    public static let system = "You are an assistant who helps users understand or generate 3D human motion representations."

    /// system + "\n\nUser: " + user + "\n\n Response:", with ".." collapsed to "." after filling.
    /// The tokenizer adds `<bos>` in front.
    public static func irg(user: String) -> String {
        // Left to right, non-overlapping and by code points (.literal), as Python's str.replace.
        (system + "\n\nUser: " + user + "\n\n Response:").replacingOccurrences(of: "..", with: ".", options: .literal)
    }
}
