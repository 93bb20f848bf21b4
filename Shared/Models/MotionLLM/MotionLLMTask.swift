/// Which template wraps a request (REFERENCE-NOTES section 4).
public enum PromptFormat: Sendable, Equatable {
    /// IRG-MotionLLM: `<bos>system\n\nUser: ...\n\n Response:`.
    case irg
    /// Motion-Agent's Alpaca-style prompt; it defines text-to-motion only.
    case motionAgent
}

/// The MotionLLM tasks, each one template with its defaults.
public enum MotionLLMTask: Sendable, Equatable {
    case generate(caption: String, format: PromptFormat)
    case caption(motion: [Int])
    case analyze(caption: String)
    /// Stage-1 assessment: "Determine how to refine the generated motion".
    case refineInstruction(caption: String, motion: [Int])
    case refine(caption: String, motion: [Int], instruction: String)
    case interleave(caption: String)

    /// The filled prompt text (the tokenizer adds `<bos>`).
    /// Text-to-motion prompts end with `<Motion>`, as at test time upstream;
    /// IRG's gets " <Motion>", the separator Motion-Agent's template uses.
    /// Instructed refinement ends the same way (its answer is a motion).
    public func prompt(codebookSize: Int = 512) throws -> String {
        func span(_ codes: [Int]) throws -> String { try MotionSpan.text(codes, codebookSize: codebookSize) }
        switch self {
        case .generate(let caption, .irg):
            return MotionLLMPrompt.irg(user: MotionLLMPrompt.textToMotion(caption)) + " <Motion>"
        case .generate(let caption, .motionAgent):
            return MotionLLMPrompt.motionAgentTextToMotion(caption)
        case .caption(let motion):
            return MotionLLMPrompt.irg(user: MotionLLMPrompt.motionToText(try span(motion)))
        case .analyze(let caption):
            return MotionLLMPrompt.irg(user: MotionLLMPrompt.promptAnalysis(caption))
        case .refineInstruction(let caption, let motion):
            return MotionLLMPrompt.irg(user: MotionLLMPrompt.refineInstruction(motion: try span(motion), caption: caption))
        case .refine(let caption, let motion, let instruction):
            // An instructed refinement's answer is a motion span too: opened here as t2m's is,
            // so decoding stays in the span's 513 rows from the first token.
            return MotionLLMPrompt.irg(user: MotionLLMPrompt.instructedRefinement(motion: try span(motion), caption: caption, instruction: instruction))
                + " <Motion>"
        case .interleave(let caption):
            return MotionLLMPrompt.irg(user: MotionLLMPrompt.interleaved(caption))
        }
    }

    /// An instructed refinement's prompt as far as its instruction goes (what
    /// follows it, ".\n\n Response: <Motion>", left off): a prefix of the
    /// prompt of any instruction that goes on from this one.
    public func promptUpToInstructionEnd(codebookSize: Int = 512) throws -> String {
        guard case .refine = self else { return try prompt(codebookSize: codebookSize) }
        let whole = try prompt(codebookSize: codebookSize), after = ".\n\n Response: <Motion>"
        return whole.hasSuffix(after) ? String(whole.dropLast(after.count)) : whole
    }

    /// Motion-Agent's two adapters: t2m writes motion, m2t writes text. Used
    /// when the request names none and the model holds one by that name.
    public var conventionalAdapter: String? {
        switch self {
        case .generate, .refine: return "t2m"
        case .caption: return "m2t"
        case .analyze, .refineInstruction, .interleave: return nil
        }
    }

    /// When the request leaves max_new_tokens at 0.
    public var defaultMaxNewTokens: Int {
        switch self {
        case .interleave: return 1300
        default: return 256
        }
    }
}
