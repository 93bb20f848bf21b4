import IRGModels
import IRGMotion
import IRGProto
import IRGRPC
import IRGText

/// irg.v1 generator messages <-> the MotionLLM library's types, and its
/// errors -> status codes.
enum GeneratorMessages {
    /// SamplingParams with the proto's zero-means-default rules (see motion.proto).
    static func settings(_ sampling: ProtoMessage?, defaultMaxNewTokens: Int) -> SamplingSettings {
        guard let s = sampling else { return SamplingSettings(maxNewTokens: defaultMaxNewTokens) }
        let temperature = Float(s.double("temperature")), topP = Float(s.double("top_p"))
        return SamplingSettings(
            greedy: s.bool("greedy"),
            temperature: temperature == 0 ? 1 : temperature,
            topK: Int(clamping: s.uint("top_k")),
            topP: topP == 0 ? 1 : topP,
            seed: s.uint("seed") == 0 ? nil : s.uint("seed"),
            maxNewTokens: s.uint("max_new_tokens") == 0 ? defaultMaxNewTokens : Int(clamping: s.uint("max_new_tokens")),
            beams: s.uint("num_beams") == 0 ? 1 : Int(clamping: s.uint("num_beams")),
            stop: s.list("stop").compactMap { if case .string(let v) = $0 { return v } else { return nil } })
    }

    static func format(_ options: ProtoMessage?) throws -> PromptFormat {
        switch options?.enumValue("format") ?? 0 {
        case 0: return .irg
        case 1: return .motionAgent
        case let other: throw RPCError(.invalidArgument, "unknown prompt format \(other)")
        }
    }

    /// A MotionCodes message's codes; missing or empty is INVALID_ARGUMENT (codes are range-checked by the template).
    static func codes(_ message: ProtoMessage?, field: String) throws -> [Int] {
        let codes = integers(message?.list("codes") ?? [])
        guard !codes.isEmpty else { throw RPCError(.invalidArgument, "\(field) has no codes (an empty motion span)") }
        return codes
    }

    /// A repeated integer field's values; anything else reads as -1, which every range check refuses.
    static func integers(_ values: [ProtoValue]) -> [Int] {
        values.map { value in
            switch value {
            case .int(let v): return Int(clamping: v)
            case .uint(let v): return Int(clamping: v)
            default: return -1
            }
        }
    }

    static func codes(_ codes: [Int]) -> ProtoMessage {
        var m = ProtoMessage(type: "irg.v1.MotionCodes")
        m["codes"] = .list(codes.map { .int(Int64($0)) })
        return m
    }

    /// ScoreRequest's prompt and continuation: ids verbatim when given, else
    /// text tokenised (`<bos>` added to the prompt only).
    static func scoredIds(_ request: ProtoMessage, tokenizer: BPETokenizer) throws -> (prompt: [Int], continuation: [Int]) {
        func ids(_ field: String) -> [Int] { integers(request.list(field)) }
        let prompt = try ids("prompt_ids").isEmpty
            ? LibraryErrorStatus.mapped { try tokenizer.encode(request.string("prompt")) } : ids("prompt_ids")
        let continuation = try ids("continuation_ids").isEmpty
            ? LibraryErrorStatus.mapped { try tokenizer.encode(request.string("continuation"), addSpecialTokens: false) } : ids("continuation_ids")
        guard prompt.count > (request.list("prompt_ids").isEmpty ? 1 : 0) else { throw RPCError(.invalidArgument, "the prompt is empty") }
        guard !continuation.isEmpty else { throw RPCError(.invalidArgument, "the continuation is empty") }
        return (prompt, continuation)
    }
}
