import IRGModels
import IRGMotion
import IRGProto
import IRGRPC
import IRGText

/// irg.v1 generator messages <-> the MotionLLM library's types, and its
/// errors -> status codes.
enum GeneratorMessages {
    /// SamplingParams with the proto's zero-means-default rules (see motion.proto).
    static func settings(_ sampling: Irg_V1_SamplingParams?, defaultMaxNewTokens: Int) -> SamplingSettings {
        guard let s = sampling else { return SamplingSettings(maxNewTokens: defaultMaxNewTokens) }
        return SamplingSettings(
            greedy: s.greedy,
            temperature: s.temperature == 0 ? 1 : s.temperature,
            topK: Int(s.topK),
            topP: s.topP == 0 ? 1 : s.topP,
            seed: s.seed == 0 ? nil : s.seed,
            maxNewTokens: s.maxNewTokens == 0 ? defaultMaxNewTokens : Int(s.maxNewTokens),
            beams: s.numBeams == 0 ? 1 : Int(s.numBeams),
            stop: s.stop)
    }

    static func format(_ options: Irg_V1_GenerationOptions) throws -> PromptFormat {
        switch options.format {
        case .irg: return .irg
        case .motionAgent: return .motionAgent
        case .UNRECOGNIZED(let other): throw RPCError(.invalidArgument, "unknown prompt format \(other)")
        }
    }

    /// A MotionCodes message's codes; empty is INVALID_ARGUMENT (codes are range-checked by the template).
    static func codes(_ message: Irg_V1_MotionCodes, field: String) throws -> [Int] {
        guard !message.codes.isEmpty else { throw RPCError(.invalidArgument, "\(field) has no codes (an empty motion span)") }
        return message.codes.map { Int($0) }
    }

    static func codes(_ codes: [Int]) -> Irg_V1_MotionCodes {
        .with { $0.codes = codes.map { Int32(truncatingIfNeeded: $0) } }
    }

    /// ScoreRequest's prompt and continuation: ids verbatim when given, else
    /// text tokenised (`<bos>` added to the prompt only).
    static func scoredIds(_ request: Irg_V1_ScoreRequest, tokenizer: BPETokenizer) throws -> (prompt: [Int], continuation: [Int]) {
        let givenPrompt = request.promptIds.map { Int($0) }, givenContinuation = request.continuationIds.map { Int($0) }
        let prompt = try givenPrompt.isEmpty
            ? LibraryErrorStatus.mapped { try tokenizer.encode(request.prompt) } : givenPrompt
        let continuation = try givenContinuation.isEmpty
            ? LibraryErrorStatus.mapped { try tokenizer.encode(request.continuation, addSpecialTokens: false) } : givenContinuation
        guard prompt.count > (givenPrompt.isEmpty ? 1 : 0) else { throw RPCError(.invalidArgument, "the prompt is empty") }
        guard !continuation.isEmpty else { throw RPCError(.invalidArgument, "the continuation is empty") }
        return (prompt, continuation)
    }
}
