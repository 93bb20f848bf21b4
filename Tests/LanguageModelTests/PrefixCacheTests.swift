import Foundation
@testable import IRGModels
import IRGText
import Testing

/// The prefix cache on the fixture models: a prompt that starts as an
/// earlier one computes only the rest and gives the tokens and scores it
/// gives without the cache; entries are per adapter and within the budget.
@Suite struct PrefixCacheTests {
    static let prompt = Gemma2ModelTests.prompt

    static func llm() throws -> MotionLLM {
        try MotionLLM(folder: Gemma2Fixtures.url("model_a"),
                      adapters: [("t2m", Gemma2Fixtures.url("adapter_t2m")), ("m2t", Gemma2Fixtures.url("adapter_m2t"))])
    }

    @Test func sharedPrefixesGiveTheSameTokens() async throws {
        var llm = try Self.llm()
        let plain = llm.generator
        let cache = PrefixCache(capacityBytes: 64 << 20)
        llm.prefixCache = cache
        let cached = llm.generator
        let settings = SamplingSettings(greedy: true, maxNewTokens: 16)
        let variant = Array(Self.prompt.dropLast(3)) + [17, 29, 41]  // same start, different end
        let requests = [GenerationRequest(prompt: Self.prompt, adapter: "t2m", settings: settings),
                        GenerationRequest(prompt: Self.prompt, adapter: "t2m", settings: settings),
                        GenerationRequest(prompt: variant, adapter: "t2m", settings: settings),
                        GenerationRequest(prompt: Self.prompt, adapter: "m2t", settings: settings)]
        let (expected, got) = try await offPool {
            (try requests.map { try plain.generate([$0])[0].tokens }, try requests.map { try cached.generate([$0])[0].tokens })
        }
        #expect(got == expected)
        // Misses: the first call and the other adapter; hits: the repeat (all but the
        // last prompt token) and the variant (up to where it differs).
        let stats = cache.stats
        #expect(stats.lookups == 4 && stats.hits == 2)
        #expect(stats.reusedTokens == (Self.prompt.count - 1) + (Self.prompt.count - 3))
    }

    @Test func beamSearchAndScoreUseItToo() async throws {
        var llm = try Self.llm()
        let (plain, cache) = (llm, PrefixCache(capacityBytes: 64 << 20))
        llm.prefixCache = cache
        let cached = llm
        let beam = GenerationRequest(prompt: Self.prompt, adapter: "t2m", settings: SamplingSettings(maxNewTokens: 6, beams: 3))
        let continuations = [[5, 9, 13], [5, 9, 14], [200, 3]]
        let (expected, got) = try await offPool {
            (try plain.generator.generate([beam])[0].tokens, try cached.generator.generate([beam])[0].tokens)
        }
        #expect(got == expected)
        for continuation in continuations {
            let (a, b) = try await offPool {
                (try plain.score(prompt: Self.prompt, continuation: continuation, adapter: "t2m"),
                 try cached.score(prompt: Self.prompt, continuation: continuation, adapter: "t2m"))
            }
            #expect(zip(a.tokenLogProbs, b.tokenLogProbs).allSatisfy { abs($0 - $1) < 1e-4 })
        }
        #expect(cache.stats.hits == 3, "the beam search stored the prompt; every score reused it")
    }

    @Test func entriesStayWithinTheBudget() async throws {
        let model = try Gemma2Model(folder: Gemma2Fixtures.url("model_b"))
        let one = model.makeCache()
        _ = try await offPool { try model.forward([SequenceInput(tokens: Array(Self.prompt.prefix(20)), cache: one)]) }
        let cache = PrefixCache(capacityBytes: 2 * one.bytes + one.bytes / 2)
        for first in 100..<104 {
            let tokens = [first] + Array(Self.prompt.prefix(19))
            cache.insert(tokens, adapter: nil, cache: one)
        }
        #expect(cache.bytes == 2 * one.bytes, "the two most recent entries fit")
        #expect(cache.lookup([100] + Self.prompt.prefix(19), adapter: nil, limit: 19) == nil, "the oldest went first")
        #expect(cache.lookup([103] + Self.prompt.prefix(19), adapter: nil, limit: 19)?.positions == 19)
        #expect(cache.lookup([103] + Self.prompt.prefix(19), adapter: "t2m", limit: 19) == nil, "entries are per adapter")
        // Storing a prompt already held only touches it.
        cache.insert([103] + Self.prompt.prefix(19), adapter: nil, cache: one)
        #expect(cache.bytes == 2 * one.bytes)
    }

    /// The fixture MotionLLM with a prefix cache and without: a task run on
    /// both, its request on the cached one, the two results, and how many
    /// prompt tokens the cached one reused.
    struct WarmedAndPlain {
        let warmed: MotionLLM, plain: MotionLLM, cache = PrefixCache(capacityBytes: 256 << 20)

        init() throws {
            plain = try PrefixCacheTests.llm()
            var llm = plain
            llm.prefixCache = cache
            warmed = llm
        }

        func run(_ task: MotionLLMTask, seed: UInt64, maxNewTokens: Int) async throws
            -> (request: GenerationRequest, alone: GenerationRequest, expected: GenerationResult, got: GenerationResult, reused: Int) {
            let settings = SamplingSettings(seed: seed, maxNewTokens: maxNewTokens)
            let (request, alone) = (try warmed.request(for: task, settings: settings, adapter: nil),
                                    try plain.request(for: task, settings: settings, adapter: nil))
            let reusedBefore = cache.stats.reusedTokens
            let (plain, warmed) = (plain, warmed)
            let (expected, got) = try await offPool { (try plain.generator.generate([alone])[0], try warmed.generator.generate([request])[0]) }
            return (request, alone, expected, got, cache.stats.reusedTokens - reusedBefore)
        }
    }

    /// A motion request warms the loop's next assessment: it gives the tokens
    /// it gives alone, and the assessment of its codes then reuses the warm
    /// prompt and all the codes but the last, giving the tokens it gives
    /// without any cache.
    @Test func aMotionWarmsTheAssessmentOfItsCodes() async throws {
        let llms = try WarmedAndPlain()
        let caption = "a person walks forward."
        let refine = MotionLLMTask.refine(caption: caption, motion: [5, 9, 13, 7], instruction: "raise the arms higher")
        let motionCall = try await llms.run(refine, seed: 3, maxNewTokens: 12)
        let warm = try #require(motionCall.request.warm)
        #expect(motionCall.alone.warm == nil, "without a prefix cache nothing is warmed")
        #expect(warm.prefix.last == llms.warmed.motion.open && warm.adapter == nil)
        #expect(motionCall.got.tokens == motionCall.expected.tokens)
        let codes = try llms.warmed.codes(of: motionCall.got, request: motionCall.request)
        try #require(codes.count >= 2, "the fixture model wrote a motion")

        let assessment = try await llms.run(.refineInstruction(caption: caption, motion: codes), seed: 4, maxNewTokens: 8)
        #expect(assessment.request.prompt.starts(with: warm.prefix), "the warm prompt is the assessment's start")
        #expect(assessment.reused >= warm.prefix.count + codes.count - 1)
        #expect(assessment.got.tokens == assessment.expected.tokens)
    }

    /// An assessment warms the refinement it asks for: the refinement's
    /// prompt, followed by the instruction as the assessment's text so far
    /// gives it. The assessment gives the tokens it gives alone; the
    /// refinement then reuses the warm prompt and instruction tokens and gives
    /// the tokens it gives without any cache.
    @Test func anAssessmentWarmsTheRefinementItAsksFor() async throws {
        let llms = try WarmedAndPlain()
        let (caption, motion) = ("a person walks forward.", [5, 9, 13, 7])
        let assessment = try await llms.run(.refineInstruction(caption: caption, motion: motion), seed: 5, maxNewTokens: 12)
        let warm = try #require(assessment.request.warm)
        #expect(assessment.alone.warm == nil, "without a prefix cache nothing is warmed")
        #expect(warm.adapter == "t2m", "the refinement's adapter, not the assessment's")
        #expect(assessment.got.tokens == assessment.expected.tokens)
        let instruction = AssessmentReply(parsing: try llms.warmed.text(of: assessment.got)).instruction
        try #require(!instruction.isEmpty, "the fixture model wrote an instruction")

        let refinement = try await llms.run(.refine(caption: caption, motion: motion, instruction: instruction), seed: 6, maxNewTokens: 6)
        #expect(refinement.request.prompt.starts(with: warm.prefix), "the warm prompt is the refinement's start")
        #expect(refinement.reused > warm.prefix.count, "instruction tokens were warm too (\(refinement.reused) reused, prefix \(warm.prefix.count))")
        #expect(refinement.got.tokens == refinement.expected.tokens)
    }

    /// Warming costs a row a step, so only the first few sequences of a batch
    /// are warmed: with 5 motion requests at once, 5 prompt lookups and 4 warm ones.
    @Test func onlyASmallBatchIsWarmed() async throws {
        var llm = try Self.llm()
        let cache = PrefixCache(capacityBytes: 256 << 20)
        llm.prefixCache = cache
        let warmed = llm
        let task = MotionLLMTask.generate(caption: "a person jumps.", format: .irg)
        let requests = try (0..<5).map { try warmed.request(for: task, settings: SamplingSettings(seed: UInt64($0), maxNewTokens: 4), adapter: nil) }
        _ = try await offPool { try warmed.generator.generate(requests) }
        #expect(cache.stats.lookups == 5 + DecodingBatch.warmingBatchLimit)
    }
}
