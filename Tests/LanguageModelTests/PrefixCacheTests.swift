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

    /// A motion request warms the loop's next assessment: it gives the tokens
    /// it gives alone, and the assessment of its codes then reuses the warm
    /// prompt and all the codes but the last, giving the tokens it gives
    /// without any cache.
    @Test func aMotionWarmsTheAssessmentOfItsCodes() async throws {
        var llm = try Self.llm()
        let plain = llm
        let cache = PrefixCache(capacityBytes: 256 << 20)
        llm.prefixCache = cache
        let warmed = llm
        let caption = "a person walks forward."
        let refine = MotionLLMTask.refine(caption: caption, motion: [5, 9, 13, 7], instruction: "raise the arms higher")
        let settings = SamplingSettings(seed: 3, maxNewTokens: 12)
        let (request, alone) = (try warmed.request(for: refine, settings: settings, adapter: nil),
                                try plain.request(for: refine, settings: settings, adapter: nil))
        let warm = try #require(request.warm)
        #expect(alone.warm == nil, "without a prefix cache nothing is warmed")
        #expect(warm.prefix.last == warmed.motion.open && warm.adapter == nil)
        let (expected, got) = try await offPool { (try plain.generator.generate([alone])[0], try warmed.generator.generate([request])[0]) }
        #expect(got.tokens == expected.tokens)
        let codes = try warmed.codes(of: got, request: request)
        try #require(codes.count >= 2, "the fixture model wrote a motion")

        let assessment = MotionLLMTask.refineInstruction(caption: caption, motion: codes)
        let assessSettings = SamplingSettings(seed: 4, maxNewTokens: 8)
        let (assess, assessAlone) = (try warmed.request(for: assessment, settings: assessSettings, adapter: nil),
                                     try plain.request(for: assessment, settings: assessSettings, adapter: nil))
        #expect(Array(assess.prompt.prefix(warm.prefix.count)) == warm.prefix, "the warm prompt is the assessment's start")
        let reusedBefore = cache.stats.reusedTokens
        let (expectedText, gotText) = try await offPool {
            (try plain.generator.generate([assessAlone])[0].tokens, try warmed.generator.generate([assess])[0].tokens)
        }
        #expect(cache.stats.reusedTokens - reusedBefore >= warm.prefix.count + codes.count - 1)
        #expect(gotText == expectedText)
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
