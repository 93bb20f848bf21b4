import Foundation
@testable import IRGModels
import IRGMotion
import IRGService
import IRGText
import Testing

/// MotionLLM's tasks: the templates against an independent Python filling
/// (task_prompts.json, HF ids), constrained generation against a Python
/// reference, the answer parsers, and the batcher.
@Suite struct MotionLLMTests {
    nonisolated(unsafe) static let fixture = try! Gemma2Fixtures.json("task_prompts.json") as! [String: Any]

    static func motionLLM() throws -> MotionLLM {
        try MotionLLM(folder: Gemma2Fixtures.url("model_a"),
                      adapters: [("t2m", Gemma2Fixtures.url("adapter_t2m")), ("m2t", Gemma2Fixtures.url("adapter_m2t"))])
    }

    static func task(_ row: [String: Any]) -> MotionLLMTask {
        let caption = row["caption"] as! String, motion = row["motion"] as! [Int], instruction = row["instruction"] as! String
        switch row["task"] as! String {
        case "generate": return .generate(caption: caption, format: .irg)
        case "generate_motion_agent": return .generate(caption: caption, format: .motionAgent)
        case "caption": return .caption(motion: motion)
        case "analyze": return .analyze(caption: caption)
        case "refine_instruction": return .refineInstruction(caption: caption, motion: motion)
        case "refine": return .refine(caption: caption, motion: motion, instruction: instruction)
        case "interleave": return .interleave(caption: caption)
        case let other: fatalError("unknown task \(other)")
        }
    }

    @Test func templatesMatchThePythonFillingAndHFIds() throws {
        let llm = try Self.motionLLM()
        let rows = Self.fixture["prompts"] as! [[String: Any]]
        #expect(rows.count == 7)
        for row in rows {
            let task = Self.task(row)
            #expect(try task.prompt() == row["text"] as! String, "\(row["task"]!)")
            #expect(try llm.tokenizer.encode(task.prompt()) == row["ids"] as! [Int], "\(row["task"]!)")
        }
        // The interleaved prompt (260 tokens here) does not fit this tiny model's 256 positions.
        #expect(throws: MotionError.self) { try llm.request(for: .interleave(caption: "a person walks forward and waves.."), settings: SamplingSettings(), adapter: nil) }
    }

    @Test func defaultAdaptersFollowTheTask() throws {
        let llm = try Self.motionLLM()
        func adapter(_ task: MotionLLMTask, _ named: String? = nil) throws -> String? {
            try llm.request(for: task, settings: SamplingSettings(), adapter: named).adapter
        }
        #expect(try adapter(.generate(caption: "walk", format: .irg)) == "t2m")
        #expect(try adapter(.caption(motion: [1, 2])) == "m2t")
        #expect(try adapter(.refineInstruction(caption: "walk", motion: [1])) == nil)
        #expect(try adapter(.generate(caption: "walk", format: .irg), "m2t") == "m2t")
        #expect(throws: UnknownAdapterError.self) { try adapter(.generate(caption: "walk", format: .irg), "nope") }
    }

    @Test func constrainedGenerationMatchesPythonReference() async throws {
        let llm = try Self.motionLLM()
        let expected = Self.fixture["generate_t2m_greedy"] as! [Int]
        let request = try llm.request(for: .generate(caption: "a person walks forward and waves..", format: .irg),
                                      settings: SamplingSettings(greedy: true, maxNewTokens: expected.count), adapter: nil)
        let result = try await offPool { try llm.generator.generate([request])[0] }
        #expect(result.tokens == expected)
        let codes = try llm.codes(of: result, request: request)
        #expect(codes == expected.prefix { $0 != llm.motion.close }.map { $0 - llm.motion.firstCode })
        #expect(try llm.text(of: result).hasPrefix("<Motion_"))
    }

    @Test func badTaskInputIsRefused() throws {
        let llm = try Self.motionLLM()
        let settings = SamplingSettings()
        #expect(throws: MotionError.self) { try llm.request(for: .caption(motion: []), settings: settings, adapter: nil) }
        #expect(throws: MotionError.self) { try llm.request(for: .caption(motion: [512]), settings: settings, adapter: nil) }
        #expect(throws: MotionError.self) { try llm.request(for: .generate(caption: "  ", format: .irg), settings: settings, adapter: nil) }
        #expect(throws: MotionError.self) { try llm.request(for: .refine(caption: "walk", motion: [1], instruction: ""), settings: settings, adapter: nil) }
        var nan = settings
        nan.temperature = .nan
        #expect(throws: MotionError.self) { try llm.request(for: .generate(caption: "walk", format: .irg), settings: nan, adapter: nil) }
        #expect(throws: MotionError.self) { try llm.score(prompt: [2, 5], continuation: [llm.model.config.vocabSize], adapter: nil) }
        #expect(throws: MotionError.self) { try llm.score(prompt: [Int](repeating: 5, count: 300), continuation: [5], adapter: nil) }
    }

    @Test func assessmentRepliesAreSplitAtTheirLabels() {
        let full = AssessmentReply(parsing: " Assessment: the arm is too low.\nRefinement: Raise the left arm higher. ")
        #expect(full == AssessmentReply(assessment: "the arm is too low.", instruction: "Raise the left arm higher."))
        #expect(!full.satisfied)
        let done = AssessmentReply(parsing: "Assessment: matches.\nRefinement: No refinements needed.")
        #expect(done.satisfied)
        #expect(AssessmentReply(parsing: "No refinements needed.").satisfied)
        #expect(AssessmentReply(parsing: "Walk faster").instruction == "Walk faster")
    }

    /// The refinement prompt's head (what the generator warms during an
    /// assessment) starts the prompt of the instruction it grows into,
    /// whatever ".." the template's fill collapses at the instruction's end.
    @Test func aRefinementPromptsHeadStartsTheWholePrompt() throws {
        for (sofar, whole) in [("raise", "raise the arms higher"), ("raise the arms.", "raise the arms. Then walk."), ("", "turn left.")] {
            let head = try MotionLLMTask.refine(caption: "a person waves.", motion: [3, 4], instruction: sofar).promptUpToInstructionEnd()
            let prompt = try MotionLLMTask.refine(caption: "a person waves.", motion: [3, 4], instruction: whole).prompt()
            #expect(prompt.hasPrefix(head), "\(sofar) -> \(whole)")
            #expect(head.hasSuffix("instruction: " + sofar.dropLast(sofar.hasSuffix(".") ? 1 : 0)))
        }
    }

    @Test func interleavedTranscriptsParseIntoRounds() {
        let text = """
        <think>[plan]Analyze first.[/plan]
        [analyze]The person walks, then waves.[/analyze]
        [plan]Generate.[/plan]
        [generate]<Motion><Motion_1><Motion_2></Motion>[/generate]
        [plan]Assess it.[/plan]
        [assess]Assessment: no wave.
        Refinement: Add a wave.[/assess]
        [plan]Regenerate.[/plan]
        [generate]<Motion><Motion_3></Motion>[/generate]
        [plan]Assess again.[/plan]
        [assess]Assessment: good.
        Refinement: No refinements needed.[/assess]
        [plan]Done.[/plan]
        </think>
        """
        let t = InterleaveTranscript(parsing: text)
        #expect(t.analysis == "The person walks, then waves.")
        #expect(t.closedThinking)
        #expect(t.rounds.count == 2)
        #expect(t.rounds[0].generation == "<Motion><Motion_1><Motion_2></Motion>")
        #expect(t.rounds[0].plans == ["Generate.", "Assess it."])
        #expect(t.rounds[0].assessment.instruction == "Add a wave.")
        #expect(t.rounds[1].plans == ["Regenerate.", "Assess again.", "Done."])
        #expect(t.rounds[1].assessment.satisfied)
        let cut = InterleaveTranscript(parsing: "<think>[analyze]walks[/analyze][generate]<Motion><Motion_4>")
        #expect(!cut.closedThinking && cut.rounds.count == 1 && cut.rounds[0].generation == "<Motion><Motion_4>")
    }

    @Test func motionCodesAreReadFromTranscriptText() throws {
        let llm = try Self.motionLLM()
        #expect(try llm.codes(inText: "[generate]<Motion><Motion_7><Motion_511></Motion>") == [7, 511])
        #expect(throws: MotionError.self) { try llm.codes(inText: "no motion here") }
    }

    @Test func concurrentCallersShareBatchesAndGetTheirOwnResults() async throws {
        let llm = try Self.motionLLM()
        let batcher = GenerationBatcher(generator: llm.generator, maxBatch: 8)
        let captions = ["a person walks", "a person jumps", "someone waves", "a man kicks", "a person sits down"]
        let requests = try captions.map {
            try llm.request(for: .generate(caption: $0, format: .irg), settings: SamplingSettings(greedy: true, maxNewTokens: 6), adapter: nil)
        }
        let alone = try await offPool { try requests.map { try llm.generator.generate([$0])[0] } }
        let together = try await withThrowingTaskGroup(of: (Int, GenerationResult).self) { group in
            for (i, r) in requests.enumerated() { group.addTask { (i, try await batcher.generate([r])[0]) } }
            return try await group.reduce(into: [Int: GenerationResult]()) { $0[$1.0] = $1.1 }
        }
        for i in requests.indices { #expect(together[i]?.tokens == alone[i].tokens, "request \(i)") }
        let sizes = await batcher.batchSizes
        #expect(sizes.max()! > 1 && sizes.max()! <= 8, "sequences per step \(sizes)")
        // A bad request fails alone, before it queues.
        var bad = requests[0]
        bad.adapter = "nope"
        await #expect(throws: UnknownAdapterError.self) { try await batcher.generate([requests[1], bad]) }
    }

    /// Continuous batching: a short request that arrives while a long one
    /// decodes joins the running batch, finishes first, and gets what it
    /// gets alone; so does the long one.
    @Test func aRequestJoinsARunningBatchAndLeavesWhenDone() async throws {
        let llm = try Self.motionLLM()
        let batcher = GenerationBatcher(generator: llm.generator, maxBatch: 4)
        func request(_ caption: String, tokens: Int) throws -> GenerationRequest {
            var r = try llm.request(for: .generate(caption: caption, format: .irg),
                                    settings: SamplingSettings(greedy: true, maxNewTokens: tokens), adapter: nil)
            r.stopIds = []  // only the length ends it, so the long one stays long
            r.motion = nil
            return r
        }
        let (long, short) = (try request("a person walks in a circle", tokens: 120), try request("a person jumps", tokens: 4))
        let alone = try await offPool { (try llm.generator.generate([long])[0], try llm.generator.generate([short])[0]) }
        let longTask = Task { try await batcher.generate([long])[0] }
        while await batcher.batchSizes.count < 3 { await Task.yield() }
        let shortResult = try await batcher.generate([short])[0]
        let stepsWhenShortEnded = await batcher.batchSizes.count
        let longResult = try await longTask.value
        let sizes = await batcher.batchSizes
        #expect(shortResult.tokens == alone.1.tokens && longResult.tokens == alone.0.tokens)
        #expect(longResult.tokens.count == 120 && shortResult.tokens.count == 4)
        #expect(stepsWhenShortEnded < sizes.count, "the short request waited for the long one's end")
        #expect(sizes.filter { $0 == 2 }.count == 4, "the short request ran 4 steps beside the long one: \(sizes)")
        #expect(sizes.count == 120)
    }
}
