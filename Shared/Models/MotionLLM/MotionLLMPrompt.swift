import Foundation

/// MotionLLM's prompt templates (REFERENCE-NOTES section 4), verbatim.
/// Motion placeholders take `MotionSpan.text(_:)`; the tokenizer adds `<bos>`.
public enum MotionLLMPrompt {
    public static let system = "You are an assistant who helps users understand or generate 3D human motion representations."

    /// Motion-Agent's Alpaca-style system line.
    public static let motionAgentSystem = "Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request."

    /// system + "\n\nUser: " + user + "\n\n Response:", with ".." collapsed to "." after filling.
    public static func irg(user: String) -> String {
        // Left to right, non-overlapping and by code points (.literal), as Python's str.replace.
        (system + "\n\nUser: " + user + "\n\n Response:").replacingOccurrences(of: "..", with: ".", options: .literal)
    }

    // MARK: user turns of the IRG tasks

    public static func textToMotion(_ caption: String) -> String {
        "Generate a motion that depicts \(caption)."
    }

    public static func motionToText(_ motion: String) -> String {
        "\(motion)\nProvide a detailed description of the motion."
    }

    public static func promptAnalysis(_ caption: String) -> String {
        "Determine the critical aspects to address prior to generating a motion that represents \(caption)."
    }

    public static func refineInstruction(motion: String, caption: String) -> String {
        "Motion: \(motion). Goal text: \(caption). Determine how to refine the generated motion for better alignment."
    }

    public static func instructedRefinement(motion: String, caption: String, instruction: String) -> String {
        "Motion: \(motion). Goal text: \(caption). Refine the motion according to the instruction: \(instruction)."
    }

    public static func assessment(motion: String, caption: String) -> String {
        "Motion: \(motion). Goal text: \(caption). Assess the alignment between the motion and the goal."
    }

    public static func interleaved(_ caption: String) -> String {
        "Given a text outlining a human motion objective, employ a step-by-step thought process to realize the motion: (1) analyze the text, providing a clear explanation of the reasoning to identify essential elements; (2) conduct several rounds of motion generation and self-assessment until the motion is satisfactory. Wrap all responses in <think> and </think> tags, and formulate a plan before each step.\nGoal Text: \(caption)"
    }

    /// Motion-Agent's generation prompt, ending inside the motion span.
    public static func motionAgentTextToMotion(_ caption: String) -> String {
        motionAgentSystem + "\n\n### Instruction:\nGenerate a motion matching the following input human motion description\n\n### Input:\n"
            + caption + "\n\nResponse: <Motion>"
    }
}
