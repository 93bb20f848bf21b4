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
        router.implement(Irg_V1_MotionGenerator.generate) { request, _ in try await generate(request) }
        router.implement(Irg_V1_MotionGenerator.caption) { request, _ in try await caption(request) }
        router.implement(Irg_V1_MotionGenerator.assess) { request, _ in try await assess(request) }
        router.implement(Irg_V1_MotionGenerator.refine) { request, _ in try await refine(request) }
        router.implement(Irg_V1_MotionGenerator.interleave) { request, _ in try await interleave(request) }
        router.implement(Irg_V1_MotionGenerator.score) { request, _ in try await score(request) }
    }

    private func loaded() throws -> (MotionLLM, GenerationBatcher) {
        guard let llm, let batcher else {
            throw RPCError(.failedPrecondition, "irg-generator was started without --model DIR; no model is loaded")
        }
        return (llm, batcher)
    }

    // MARK: RPCs

    func generate(_ request: Irg_V1_GenerateRequest) async throws -> Irg_V1_GenerateResponse {
        let task = MotionLLMTask.generate(caption: request.text, format: try GeneratorMessages.format(request.options))
        let (runs, results) = try await run(task, options: request.options, samples: Int(request.numSamples))
        let samples = try zip(runs, results).map { try generatedMotion($1, request: $0) }
        return .with { $0.samples = samples }
    }

    func caption(_ request: Irg_V1_CaptionRequest) async throws -> Irg_V1_CaptionResponse {
        let task = MotionLLMTask.caption(motion: try GeneratorMessages.codes(request.motion, field: "motion"))
        let (_, results) = try await run(task, options: request.options, samples: Int(request.numSamples), irgOnly: true)
        let captions = try results.map { try text($0) }
        return .with { $0.captions = captions }
    }

    func assess(_ request: Irg_V1_AssessRequest) async throws -> Irg_V1_AssessResponse {
        let task = MotionLLMTask.refineInstruction(
            caption: request.text, motion: try GeneratorMessages.codes(request.motion, field: "motion"))
        let (_, results) = try await run(task, options: request.options, samples: 1, irgOnly: true)
        let raw = try text(results[0])
        let parsed = AssessmentReply(parsing: raw)
        return .with {
            $0.assessment = parsed.assessment
            $0.instruction = parsed.instruction
            $0.satisfied = parsed.satisfied
            $0.rawText = raw
        }
    }

    func refine(_ request: Irg_V1_RefineRequest) async throws -> Irg_V1_RefineResponse {
        let task = MotionLLMTask.refine(
            caption: request.text, motion: try GeneratorMessages.codes(request.motion, field: "motion"),
            instruction: request.instruction)
        let (runs, results) = try await run(task, options: request.options, samples: 1, irgOnly: true)
        let refined = try generatedMotion(results[0], request: runs[0])
        return .with { $0.refined = refined }
    }

    func interleave(_ request: Irg_V1_InterleaveRequest) async throws -> Irg_V1_InterleaveResponse {
        let (llm, _) = try loaded()
        let (_, results) = try await run(.interleave(caption: request.text), options: request.options, samples: 1, irgOnly: true)
        let transcript = try text(results[0])
        let parsed = InterleaveTranscript(parsing: transcript)
        var reply = Irg_V1_InterleaveResponse()
        reply.analysis = parsed.analysis
        reply.rounds = parsed.rounds.map { round in
            var m = Irg_V1_InterleaveRound()
            if let codes = try? llm.codes(inText: round.generation) { m.motion = GeneratorMessages.codes(codes) }
            m.assessment = round.assessment.assessment
            m.instruction = round.assessment.instruction
            m.plans = round.plans
            return m
        }
        if let final = try? llm.motion.codes(in: results[0].tokens, last: true) { reply.finalMotion = GeneratorMessages.codes(final) }
        reply.finished = parsed.closedThinking && results[0].finish == .endOfSequence
        reply.transcript = transcript
        return reply
    }

    func score(_ request: Irg_V1_ScoreRequest) async throws -> Irg_V1_ScoreResponse {
        let (llm, _) = try loaded()
        let (prompt, continuation) = try GeneratorMessages.scoredIds(request, tokenizer: llm.tokenizer)
        let adapter = request.adapter.isEmpty ? nil : request.adapter
        let scored = try await ComputeQueue.run {
            try LibraryErrorStatus.mapped { try llm.score(prompt: prompt, continuation: continuation, adapter: adapter) }
        }
        return .with {
            $0.continuationIds = continuation.map { UInt32($0) }
            $0.tokenLogProbs = scored.tokenLogProbs.map { Float($0) }
            $0.totalLogProb = scored.total
        }
    }

    // MARK: shared steps

    /// Builds `samples` requests for `task` (seeds seed, seed+1, ... when a
    /// seed is given) and decodes them in the shared batch.
    private func run(_ task: MotionLLMTask, options: Irg_V1_GenerationOptions, samples: Int, irgOnly: Bool = false) async throws
        -> ([GenerationRequest], [GenerationResult]) {
        let (llm, batcher) = try loaded()
        if irgOnly, try GeneratorMessages.format(options) != .irg {
            throw RPCError(.invalidArgument, "the Motion-Agent prompt format defines text-to-motion only; use format IRG for this task")
        }
        guard samples <= Self.maxSamples else { throw RPCError(.invalidArgument, "num_samples must be at most \(Self.maxSamples), got \(samples)") }
        let base = GeneratorMessages.settings(options.hasSampling ? options.sampling : nil, defaultMaxNewTokens: task.defaultMaxNewTokens)
        let adapter = options.adapter.isEmpty ? nil : options.adapter
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

    private func generatedMotion(_ result: GenerationResult, request: GenerationRequest) throws -> Irg_V1_GeneratedMotion {
        let (llm, _) = try loaded()
        var m = Irg_V1_GeneratedMotion()
        do {
            m.codes = GeneratorMessages.codes(try llm.codes(of: result, request: request))
        } catch {
            m.codes = GeneratorMessages.codes([])
            m.error = "\(error)"
        }
        m.rawText = try text(result)
        m.logProb = result.logProb
        m.numTokens = UInt32(result.tokens.count)
        return m
    }
}
