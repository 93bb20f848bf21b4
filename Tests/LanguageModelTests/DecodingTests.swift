import Foundation
@testable import IRGModels
import IRGMotion
import IRGText
import Testing

/// Decoding on the fixture models: greedy and beam search against
/// transformers, seeded sampling, the motion-span constraint, bad settings.
@Suite struct DecodingTests {
    static let prompt = Gemma2ModelTests.prompt

    static func generator(_ folder: String = "model_b") throws -> TextGenerator {
        TextGenerator(model: try Gemma2Model(folder: Gemma2Fixtures.url(folder)),
                      tokenizer: try BPETokenizer(contentsOf: Gemma2Fixtures.url(folder)))
    }

    @Test func greedyMatchesTransformers() async throws {
        let settings = SamplingSettings(greedy: true, maxNewTokens: 32)
        let generator = try Self.generator()
        let result = try await offPool { try generator.generate([GenerationRequest(prompt: Self.prompt, settings: settings)])[0] }
        #expect(result.tokens == Gemma2ModelTests.expectedGreedy("b"))
        #expect(result.finish == .length)
    }

    @Test func beamSearchMatchesTransformers() async throws {
        let beam = Gemma2ModelTests.manifest["beam"] as! [String: Any]
        let settings = SamplingSettings(maxNewTokens: beam["max_new_tokens"] as! Int, beams: beam["beams"] as! Int)
        let generator = try Self.generator()
        let result = try await offPool { try generator.generate([GenerationRequest(prompt: Self.prompt, settings: settings)])[0] }
        #expect(result.tokens == beam["tokens"] as! [Int])
        let score = result.logProb / Double(result.tokens.count)
        #expect(abs(score - (beam["score"] as! Double)) < 1e-4, "beam score \(score)")
    }

    @Test func seededSamplingIsReproducibleAndBatched() async throws {
        let generator = try Self.generator()
        let settings = SamplingSettings(temperature: 1.5, topK: 50, topP: 0.9, seed: 7, maxNewTokens: 12)
        var other = settings, topOne = settings
        other.seed = 8
        topOne.topK = 1
        let (otherSeed, greedyByTopK) = (other, topOne)
        let (alone, together, one) = try await offPool {
            (try generator.generate([GenerationRequest(prompt: Self.prompt, settings: settings)])[0],
             try generator.generate([GenerationRequest(prompt: Self.prompt, settings: otherSeed),
                                     GenerationRequest(prompt: Self.prompt, settings: settings)]),
             try generator.generate([GenerationRequest(prompt: Self.prompt, settings: greedyByTopK)])[0])
        }
        // Same tokens; the log-probability may differ in the last bits (batched products round differently).
        #expect(together[1].tokens == alone.tokens, "a seeded sample does not depend on its batch")
        #expect(abs(together[1].logProb - alone.logProb) < 1e-3)
        #expect(together[0].tokens != alone.tokens)
        #expect(one.tokens == Array(Gemma2ModelTests.expectedGreedy("b").prefix(12)), "top-k 1 is greedy")
    }

    @Test func motionSpanAllowsOnlyCodesAndClose() async throws {
        let generator = try Self.generator("model_a")
        let motion = try MotionVocabulary(tokenizer: generator.tokenizer!)
        let prompt = try generator.tokenizer!.encode("a person waves <Motion>")
        #expect(prompt.last == motion.open)
        let results = try await offPool {
            try (1...3).map { seed in
                let settings = SamplingSettings(temperature: 2, seed: UInt64(seed), maxNewTokens: 20)
                return try generator.generate([GenerationRequest(prompt: prompt, settings: settings, motion: motion)])[0]
            }
        }
        for result in results {
            let span = result.tokens.prefix { $0 != motion.close }
            #expect(span.allSatisfy(motion.isCode), "only codes inside the span: \(result.tokens)")
            #expect(try motion.codes(in: result.tokens, startsInSpan: true).count == span.count)
        }
        // The span's logits are exactly the motion rows of the full output layer.
        let model = generator.model
        let (full, rows) = try await offPool {
            (try model.forward([SequenceInput(tokens: prompt, cache: model.makeCache())])[0],
             try model.forward([SequenceInput(tokens: prompt, cache: model.makeCache())], vocabularies: [motion.spanRange])[0])
        }
        #expect(rows == Array(full[motion.spanRange]))
    }

    @Test func largestIndicesIsTheSortedPrefix() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let values = (0..<500).map { _ in Float(Int.random(in: -20...20, using: &random)) / 4 }
            let sorted = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
            for k in [1, 3, 6, 40] { #expect(largestIndices(values, count: k) == Array(sorted.prefix(k))) }
        }
    }

    @Test func rankedDescendingIsTheComparatorSort() {
        var random = SystemRandomNumberGenerator()
        let special: [Float] = [0, -0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 30, -30]
        for round in 0..<20 {
            // Many ties (quarters), then the full float range, with zeros of both signs among them.
            var values = (0..<5_000).map { _ in round % 2 == 0 ? Float(Int.random(in: -20...20, using: &random)) / 4
                                                               : Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &random)) }
            values = values.map { $0.isFinite ? $0 : 1 } + special
            values.shuffle(using: &random)
            let sorted = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
            #expect(rankedDescending(values) == sorted)
        }
    }

    @Test func motionCodesParsing() throws {
        let m = MotionVocabulary(open: 100)
        #expect(try m.codes(in: [5, 100, 102, 110, 101, 7]) == [0, 8])
        #expect(try m.codes(in: [102, 103, 101], startsInSpan: true) == [0, 1])
        #expect(try m.codes(in: [100, 102, 101, 100, 105, 101], last: true) == [3])
        #expect(throws: MotionError.self) { try m.codes(in: [5, 6, 7]) }         // no span: an error, not code 0
        #expect(throws: MotionError.self) { try m.codes(in: [100, 101]) }        // empty span
    }

    @Test func stopStringsEndTheText() async throws {
        let generator = try Self.generator()
        let greedy = Gemma2ModelTests.expectedGreedy("b")
        let stop = try generator.tokenizer!.decode(Array(greedy.prefix(3)), skipSpecialTokens: false)
        let settings = SamplingSettings(greedy: true, maxNewTokens: 32, stop: [String(stop.suffix(3))])
        let result = try await offPool { try generator.generate([GenerationRequest(prompt: Self.prompt, settings: settings)])[0] }
        #expect(result.finish == .stopString(String(stop.suffix(3))))
        #expect(result.tokens.count <= 3)
    }

    /// Score's log-probabilities against the log-softmax of transformers' float64 logits.
    @Test func scoreMatchesTheReferenceLogSoftmax() async throws {
        let model = try Gemma2ModelTests.modelA()
        let expected = try Gemma2ModelTests.expectedLogits("a_t2m")
        let vocab = model.config.vocabSize
        let split = 9
        let score = try await offPool {
            try model.score(prompt: Array(Self.prompt.prefix(split)), continuation: Array(Self.prompt.dropFirst(split)), adapter: "t2m")
        }
        #expect(score.tokenLogProbs.count == Self.prompt.count - split)
        for (k, token) in Self.prompt.dropFirst(split).enumerated() {
            let row = expected[(split - 1 + k) * vocab ..< (split + k) * vocab].map(Double.init)
            let largest = row.max()!
            let want = row[row.startIndex + token] - largest - log(row.reduce(0) { $0 + exp($1 - largest) })
            #expect(abs(score.tokenLogProbs[k] - want) < 1e-4, "token \(k): \(score.tokenLogProbs[k]) vs \(want)")
        }
        #expect(throws: MotionError.self) { try model.score(prompt: [2], continuation: []) }
        let short = try await offPool { try model.score(prompt: [2], continuation: [5, 6]) }
        #expect(short.tokenLogProbs.count == 2)
    }

    @Test func badSettingsAreErrors() throws {
        let generator = try Self.generator()
        for settings in [SamplingSettings(temperature: .nan), SamplingSettings(temperature: 0), SamplingSettings(topP: 1.5),
                         SamplingSettings(maxNewTokens: 0), SamplingSettings(beams: 99), SamplingSettings(stop: [""])] {
            #expect(throws: MotionError.self) { try generator.generate([GenerationRequest(prompt: Self.prompt, settings: settings)]) }
        }
        #expect(throws: MotionError.self) { try generator.generate([GenerationRequest(prompt: [], settings: SamplingSettings())]) }
    }
}
