import Foundation
import IRGModels
import IRGMotion
import IRGProto
import IRGRPC

/// irg.v1.MotionGenerator over a MotionLLM: each RPC is a task template in,
/// batched decoding, a parsed answer out.
public struct GeneratorService: Sendable {
    let llm: MotionLLM?
    let batcher: GenerationBatcher?
    static let maxSamples = 16

    /// Without a model the methods answer FAILED_PRECONDITION, saying so.
    public init(llm: MotionLLM?, maxBatch: Int = 8) {
        self.llm = llm
        batcher = llm.map { GenerationBatcher(generator: $0.generator, maxBatch: maxBatch) }
    }

    public func install(on router: Router) {
        router.implement("irg.v1.MotionGenerator/Generate") { request, _ in try await generate(request) }
        router.implement("irg.v1.MotionGenerator/Caption") { request, _ in try await caption(request) }
        router.implement("irg.v1.MotionGenerator/Assess") { request, _ in try await assess(request) }
        router.implement("irg.v1.MotionGenerator/Refine") { request, _ in try await refine(request) }
        router.implement("irg.v1.MotionGenerator/Interleave") { request, _ in try await interleave(request) }
        router.implement("irg.v1.MotionGenerator/Score") { request, _ in try await score(request) }
    }

    private func loaded() throws -> (MotionLLM, GenerationBatcher) {
        guard let llm, let batcher else {
            throw RPCError(.failedPrecondition, "irg-generator was started without --model DIR; no model is loaded")
        }
        return (llm, batcher)
    }

    // MARK: RPCs

    func generate(_ request: ProtoMessage) async throws -> ProtoMessage {
        let options = request.message("options")
        let task = MotionLLMTask.generate(caption: request.string("text"), format: try GeneratorMessages.format(options))
        let (runs, results) = try await run(task, options: options, samples: Int(request.uint("num_samples")))
        var reply = ProtoMessage(type: "irg.v1.GenerateResponse")
        reply["samples"] = .list(try zip(runs, results).map { .message(try generatedMotion($1, request: $0)) })
        return reply
    }

    func caption(_ request: ProtoMessage) async throws -> ProtoMessage {
        let options = request.message("options")
        let task = MotionLLMTask.caption(motion: try GeneratorMessages.codes(request.message("motion"), field: "motion"))
        let (_, results) = try await run(task, options: options, samples: Int(request.uint("num_samples")), irgOnly: true)
        var reply = ProtoMessage(type: "irg.v1.CaptionResponse")
        reply["captions"] = .list(try results.map { .string(try text($0)) })
        return reply
    }

    func assess(_ request: ProtoMessage) async throws -> ProtoMessage {
        let options = request.message("options")
        let task = MotionLLMTask.refineInstruction(
            caption: request.string("text"), motion: try GeneratorMessages.codes(request.message("motion"), field: "motion"))
        let (_, results) = try await run(task, options: options, samples: 1, irgOnly: true)
        let raw = try text(results[0])
        let parsed = AssessmentReply(parsing: raw)
        var reply = ProtoMessage(type: "irg.v1.AssessResponse")
        reply["assessment"] = .string(parsed.assessment)
        reply["instruction"] = .string(parsed.instruction)
        reply["satisfied"] = .bool(parsed.satisfied)
        reply["raw_text"] = .string(raw)
        return reply
    }

    func refine(_ request: ProtoMessage) async throws -> ProtoMessage {
        let options = request.message("options")
        let task = MotionLLMTask.refine(
            caption: request.string("text"), motion: try GeneratorMessages.codes(request.message("motion"), field: "motion"),
            instruction: request.string("instruction"))
        let (runs, results) = try await run(task, options: options, samples: 1, irgOnly: true)
        var reply = ProtoMessage(type: "irg.v1.RefineResponse")
        reply["refined"] = .message(try generatedMotion(results[0], request: runs[0]))
        return reply
    }

    func interleave(_ request: ProtoMessage) async throws -> ProtoMessage {
        let (llm, _) = try loaded()
        let options = request.message("options")
        let (_, results) = try await run(.interleave(caption: request.string("text")), options: options, samples: 1, irgOnly: true)
        let transcript = try text(results[0])
        let parsed = InterleaveTranscript(parsing: transcript)
        var reply = ProtoMessage(type: "irg.v1.InterleaveResponse")
        reply["analysis"] = .string(parsed.analysis)
        reply["rounds"] = .list(parsed.rounds.map { round in
            var m = ProtoMessage(type: "irg.v1.InterleaveRound")
            if let codes = try? llm.codes(inText: round.generation) { m["motion"] = .message(GeneratorMessages.codes(codes)) }
            m["assessment"] = .string(round.assessment.assessment)
            m["instruction"] = .string(round.assessment.instruction)
            m["plans"] = .list(round.plans.map { .string($0) })
            return .message(m)
        })
        if let final = try? llm.motion.codes(in: results[0].tokens, last: true) { reply["final_motion"] = .message(GeneratorMessages.codes(final)) }
        reply["finished"] = .bool(parsed.closedThinking && results[0].finish == .endOfSequence)
        reply["transcript"] = .string(transcript)
        return reply
    }

    func score(_ request: ProtoMessage) async throws -> ProtoMessage {
        let (llm, _) = try loaded()
        let (prompt, continuation) = try GeneratorMessages.scoredIds(request, tokenizer: llm.tokenizer)
        let adapter = request.string("adapter").isEmpty ? nil : request.string("adapter")
        let scored = try await ComputeQueue.run {
            try LibraryErrorStatus.mapped { try llm.score(prompt: prompt, continuation: continuation, adapter: adapter) }
        }
        var reply = ProtoMessage(type: "irg.v1.ScoreResponse")
        reply["continuation_ids"] = .list(continuation.map { .uint(UInt64($0)) })
        reply["token_log_probs"] = .list(scored.tokenLogProbs.map { .float(Float($0)) })
        reply["total_log_prob"] = .double(scored.total)
        return reply
    }

    // MARK: shared steps

    /// Builds `samples` requests for `task` (seeds seed, seed+1, ... when a
    /// seed is given) and decodes them in the shared batch.
    private func run(_ task: MotionLLMTask, options: ProtoMessage?, samples: Int, irgOnly: Bool = false) async throws
        -> ([GenerationRequest], [GenerationResult]) {
        let (llm, batcher) = try loaded()
        if irgOnly, try GeneratorMessages.format(options) != .irg {
            throw RPCError(.invalidArgument, "the Motion-Agent prompt format defines text-to-motion only; use format IRG for this task")
        }
        guard samples <= Self.maxSamples else { throw RPCError(.invalidArgument, "num_samples must be at most \(Self.maxSamples), got \(samples)") }
        let base = GeneratorMessages.settings(options?.message("sampling"), defaultMaxNewTokens: task.defaultMaxNewTokens)
        let adapter = options.map { $0.string("adapter") }.flatMap { $0.isEmpty ? nil : $0 }
        let requests = try LibraryErrorStatus.mapped {
            try (0..<max(1, samples)).map { i in
                var settings = base
                settings.seed = base.seed.map { $0 &+ UInt64(i) }
                return try llm.request(for: task, settings: settings, adapter: adapter)
            }
        }
        let results = try await LibraryErrorStatus.mapped { try await batcher.generate(requests) }
        return (requests, results)
    }

    private func text(_ result: GenerationResult) throws -> String {
        try LibraryErrorStatus.mapped { try loaded().0.text(of: result) }
    }

    private func generatedMotion(_ result: GenerationResult, request: GenerationRequest) throws -> ProtoMessage {
        let (llm, _) = try loaded()
        var m = ProtoMessage(type: "irg.v1.GeneratedMotion")
        do {
            m["codes"] = .message(GeneratorMessages.codes(try llm.codes(of: result, request: request)))
        } catch {
            m["codes"] = .message(GeneratorMessages.codes([]))
            m["error"] = .string("\(error)")
        }
        m["raw_text"] = .string(try text(result))
        m["log_prob"] = .double(result.logProb)
        m["num_tokens"] = .uint(UInt64(result.tokens.count))
        return m
    }
}
