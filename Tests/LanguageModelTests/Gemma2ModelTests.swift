import Foundation
@testable import IRGModels
import IRGMotion
import IRGText
import Testing

/// The Gemma2 engine against transformers (eager attention, float32) on tiny
/// random checkpoints where every feature matters: GQA, a window shorter than
/// the prompt, both softcaps engaged, BF16 and sharded F32 on disk, both
/// config.json forms, an extended vocabulary, LoRA with non-zero B (plain and
/// rslora). Logits within 1e-4 absolute; greedy continuations identical.
@Suite struct Gemma2ModelTests {
    nonisolated(unsafe) static let manifest = try! Gemma2Fixtures.json("cases.json") as! [String: Any]
    static let prompt = manifest["prompt"] as! [Int]

    static func expectedGreedy(_ name: String) -> [Int] {
        ((manifest["cases"] as! [String: Any])[name] as! [String: Any])["greedy"] as! [Int]
    }

    static func expectedLogits(_ name: String) throws -> [Float] {
        try NPYArray.read(Gemma2Fixtures.url("logits_\(name).npy")).floats()
    }

    /// model_a with both fixture adapters loaded (unmerged).
    static func modelA(options: Gemma2Options = Gemma2Options()) throws -> Gemma2Model {
        var model = try Gemma2Model(folder: Gemma2Fixtures.url("model_a"), options: options)
        for name in ["t2m", "m2t"] {
            try model.add(LoRAAdapter(peftFolder: Gemma2Fixtures.url("adapter_\(name)"), name: name, config: model.config))
        }
        return model
    }

    func maxError(_ logits: [[Float]], _ expected: [Float]) -> Float {
        #expect(logits.count * (logits.first?.count ?? 0) == expected.count)
        return zip(logits.flatMap { $0 }, expected).map { abs($0 - $1) }.max() ?? .infinity
    }

    func check(_ model: Gemma2Model, case name: String, adapter: String? = nil) async throws {
        let (logits, greedy) = try await offPool {
            (try model.forward([SequenceInput(tokens: Self.prompt, cache: model.makeCache(), adapter: adapter)], logits: .all),
             try model.greedy(prompt: Self.prompt, maxNewTokens: 32, adapter: adapter))
        }
        let error = maxError(logits, try Self.expectedLogits(name))
        print("gemma2 \(name): max abs logit error \(error)")
        #expect(error <= 1e-4, "\(name): logits differ by \(error)")
        #expect(greedy == Self.expectedGreedy(name), "\(name): greedy continuation differs")
    }

    /// Scripts/convert_motionllm.py on a Motion-Agent-style .pth made from model_a and adapter_t2m:
    /// the folder switches the attention softcap off; switched back on, its t2m adapter gives a_t2m's logits.
    @Test func convertedMotionAgentCheckpoint() async throws {
        let folder = Gemma2Fixtures.url("converted_motion_agent")
        #expect(try Gemma2Model(folder: folder).attentionSoftcap == nil)
        var model = try Gemma2Model(folder: folder, options: Gemma2Options(attentionSoftcap: true))
        try model.add(LoRAAdapter(peftFolder: folder.appendingPathComponent("adapters/t2m"), name: "t2m", config: model.config))
        try await check(model, case: "a_t2m", adapter: "t2m")
        #expect(try MotionLLM(model: model, tokenizer: BPETokenizer(contentsOf: folder)).motion.open == 1156)
    }

    /// The same Motion-Agent file against a base without the motion tokens: the converter
    /// appends the 514 rows and tokens, giving a_t2m's logits over the 1,670 columns it has.
    @Test func convertedFromABaseWithoutMotionTokens() async throws {
        let folder = Gemma2Fixtures.url("converted_from_base")
        var model = try Gemma2Model(folder: folder, options: Gemma2Options(attentionSoftcap: true))
        try model.add(LoRAAdapter(peftFolder: folder.appendingPathComponent("adapters/t2m"), name: "t2m", config: model.config))
        #expect(model.config.vocabSize == 1670)
        #expect(try MotionLLM(model: model, tokenizer: BPETokenizer(contentsOf: folder)).motion.open == 1156)
        let (logits, greedy) = try await offPool { [model] in
            (try model.forward([SequenceInput(tokens: Self.prompt, cache: model.makeCache(), adapter: "t2m")], logits: .all),
             try model.greedy(prompt: Self.prompt, maxNewTokens: 32, adapter: "t2m"))
        }
        let expected = try Self.expectedLogits("a_t2m"), width = expected.count / Self.prompt.count
        let error = logits.enumerated().flatMap { t, row in row.enumerated().map { abs($1 - expected[t * width + $0]) } }.max()!
        print("gemma2 converted_from_base: max abs logit error \(error)")
        #expect(error <= 1e-4)
        #expect(greedy == Self.expectedGreedy("a_t2m"))
    }

    /// An IRG-MotionLLM full-tuning file (llm./base_model.model./.base_layer names, full
    /// embeddings and lm_head): the tuned weights, softcap as config.json says.
    @Test func convertedIRGFullTuned() async throws {
        let model = try Gemma2Model(folder: Gemma2Fixtures.url("converted_irg_full"))
        #expect(model.attentionSoftcap != nil)
        try await check(model, case: "irg_full")
    }

    @Test func bf16NewConfigForm() async throws {
        let model = try Gemma2Model(folder: Gemma2Fixtures.url("model_a"))
        #expect(model.config.slidingLayers == [false, true, true, false])
        try await check(model, case: "a")
    }

    @Test func shardedF32OldConfigForm() async throws {
        let model = try Gemma2Model(folder: Gemma2Fixtures.url("model_b"))
        #expect(model.config.slidingLayers == [true, false, true, false])
        try await check(model, case: "b")
    }

    @Test(arguments: ["t2m", "m2t"])
    func loraUnmerged(adapter: String) async throws {
        try await check(try Self.modelA(), case: "a_\(adapter)", adapter: adapter)
    }

    @Test func loraMerged() async throws {
        var model = try Gemma2Model(folder: Gemma2Fixtures.url("model_a"))
        model.merge(try LoRAAdapter(peftFolder: Gemma2Fixtures.url("adapter_t2m"), name: "t2m", config: model.config))
        try await check(model, case: "a_t2m")
    }

    @Test func attentionSoftcapSwitchedOff() async throws {
        let model = try Gemma2Model(folder: Gemma2Fixtures.url("model_a"), options: Gemma2Options(attentionSoftcap: false))
        #expect(model.attentionSoftcap == nil)
        try await check(model, case: "a_no_attention_softcap")
    }

    /// Sequences with different adapters and lengths in one pass give what each gives alone.
    @Test func batchedSequencesMatchSingleOnes() async throws {
        let model = try Self.modelA()
        let cases: [(String, String?)] = [("a", nil), ("a_t2m", "t2m"), ("a_m2t", "m2t")]
        let caches = cases.map { _ in model.makeCache() }
        let prompts = [Self.prompt, Array(Self.prompt.prefix(11)), Self.prompt]
        let inputs = zip(zip(prompts, caches), cases).map { SequenceInput(tokens: $0.0, cache: $0.1, adapter: $1.1) }
        let logits = try await offPool { try model.forward(inputs, logits: .all) }
        var row = 0
        for (k, (name, _)) in cases.enumerated() {
            let expected = try Self.expectedLogits(name)
            let count = prompts[k].count
            let error = maxError(Array(logits[row ..< row + count]), Array(expected.prefix(count * model.config.vocabSize)))
            #expect(error <= 1e-4, "\(name) in a batch: logits differ by \(error)")
            row += count
        }
        // One decode step for all three at once, from their caches.
        let steps = zip(caches, cases).map { SequenceInput(tokens: [5], cache: $0, adapter: $1.1) }
        let next = try await offPool { try model.forward(steps) }
        #expect(next.count == 3)
        for (k, cache) in caches.enumerated() { #expect(cache.positions == prompts[k].count + 1) }
    }

    @Test func greedyStopsAfterAStopId() async throws {
        let model = try Gemma2Model(folder: Gemma2Fixtures.url("model_b"))
        let expected = Self.expectedGreedy("b")
        let stop = expected[5]
        let cut = expected.firstIndex(of: stop)!
        let stopped = try await offPool { try model.greedy(prompt: Self.prompt, maxNewTokens: 32, stopIds: [stop]) }
        #expect(stopped == Array(expected.prefix(cut + 1)))
    }

    @Test func badInputIsAnError() throws {
        let model = try Gemma2Model(folder: Gemma2Fixtures.url("model_a"))
        #expect(throws: MotionError.self) { try model.forward([SequenceInput(tokens: [model.config.vocabSize], cache: model.makeCache())]) }
        #expect(throws: MotionError.self) { try model.forward([SequenceInput(tokens: [-1], cache: model.makeCache())]) }
        #expect(throws: MotionError.self) { try model.forward([SequenceInput(tokens: [2], cache: model.makeCache(), adapter: "nope")]) }
        let long = [Int](repeating: 5, count: model.config.maxPositions + 1)
        #expect(throws: MotionError.self) { try model.forward([SequenceInput(tokens: long, cache: model.makeCache())]) }
    }
}
