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
}
