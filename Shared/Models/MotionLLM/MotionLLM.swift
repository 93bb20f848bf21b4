import Foundation
import IRGMotion
import IRGText

/// MotionLLM: Gemma2 + LoRA adapters + the 514 motion tokens, and the tasks
/// of the IRG loop as requests to the decoder and parses of its answers.
/// Decoding itself (batched across callers) is the caller's: `generator`.
public struct MotionLLM: Sendable {
    public let model: Gemma2Model
    public let tokenizer: BPETokenizer
    public let motion: MotionVocabulary
    /// Shared by generation and Score when set (the generator service sets it).
    public var prefixCache: PrefixCache?

    public var generator: TextGenerator { TextGenerator(model: model, tokenizer: tokenizer, prefixCache: prefixCache) }

    public init(model: Gemma2Model, tokenizer: BPETokenizer) throws {
        (self.model, self.tokenizer) = (model, tokenizer)
        motion = try MotionVocabulary(tokenizer: tokenizer)
        guard motion.firstCode + motion.codebookSize <= model.config.vocabSize else {
            throw MotionError.parse("the motion tokens (up to id \(motion.firstCode + motion.codebookSize - 1)) are past the model's vocabulary of \(model.config.vocabSize)")
        }
    }

    /// A model folder (config.json, weights, tokenizer.json) and peft adapter folders by name, held unmerged.
    public init(folder: URL, adapters: [(name: String, folder: URL)]) throws {
        var model = try Gemma2Model(folder: folder)
        for adapter in adapters {
            try model.add(LoRAAdapter(peftFolder: adapter.folder, name: adapter.name, config: model.config))
        }
        try self.init(model: model, tokenizer: BPETokenizer(contentsOf: folder))
    }

    /// The decoder request for `task`: its template, the adapter (the
    /// request's, else the task's conventional one when loaded), the task's
    /// default length when `settings.maxNewTokens` is nil.
    public func request(for task: MotionLLMTask, settings: SamplingSettings, adapter: String?) throws -> GenerationRequest {
        try checkText(of: task)
        let prompt = try tokenizer.encode(task.prompt(codebookSize: motion.codebookSize))
        let request = GenerationRequest(prompt: prompt, adapter: resolvedAdapter(adapter, for: task), settings: settings,
                                        motion: motion, warm: try nextCall(of: task, adapter: adapter))
        try generator.validate(request)
        return request
    }

    private func resolvedAdapter(_ adapter: String?, for task: MotionLLMTask) -> String? {
        adapter ?? task.conventionalAdapter.flatMap { model.adapterNames.contains($0) ? $0 : nil }
    }

    /// The loop's next call, warmed while this one decodes: after a motion
    /// (IRG's Generate, a Refine) its assessment, the prompt up to the span's
    /// `<Motion>` followed by the codes as they come; after an assessment the
    /// refinement it asks for, the prompt followed by the instruction as the
    /// assessment's text so far gives it.
    private func nextCall(of task: MotionLLMTask, adapter: String?) throws -> WarmPrompt? {
        guard prefixCache != nil else { return nil }
        switch task {
        case .generate(let caption, .irg), .refine(let caption, _, _):
            let assessment = MotionLLMTask.refineInstruction(caption: caption, motion: [0])
            let ids = try tokenizer.encode(assessment.prompt(codebookSize: motion.codebookSize))
            guard let open = ids.firstIndex(of: motion.open) else { return nil }
            return .followingCodes(prefix: Array(ids[...open]), adapter: resolvedAdapter(adapter, for: assessment), motion: motion)
        case .refineInstruction(let caption, let codes):
            return refinementFollowingTheInstruction(caption: caption, motion: codes, adapter: adapter)
        default:
            return nil
        }
    }

    /// The refinement an assessment asks for: its prompt up to the
    /// instruction, which the assessment's text so far gives as
    /// `GeneratorService.assess` will parse it. Its last token is left out:
    /// text still to come may merge with it (a random model's re-tokenized
    /// instruction dropped a token a step that way, 279 warm tokens fed for
    /// about 80 kept; 226 without the last token).
    private func refinementFollowingTheInstruction(caption: String, motion codes: [Int], adapter: String?) -> WarmPrompt? {
        let (tokenizer, codebookSize) = (tokenizer, motion.codebookSize)
        let prompt = { @Sendable (written: [Int]) -> [Int]? in
            guard let text = try? tokenizer.decode(written, skipSpecialTokens: true) else { return nil }
            let refinement = MotionLLMTask.refine(caption: caption, motion: codes, instruction: AssessmentReply(parsing: text).instruction)
            return (try? tokenizer.encode(refinement.promptUpToInstructionEnd(codebookSize: codebookSize))).map { Array($0.dropLast()) }
        }
        guard let prefix = prompt([]) else { return nil }
        let refinement = MotionLLMTask.refine(caption: caption, motion: codes, instruction: "")
        return WarmPrompt(prefix: prefix, adapter: resolvedAdapter(adapter, for: refinement)) { prompt($0) ?? prefix }
    }

    private func checkText(of task: MotionLLMTask) throws {
        func nonEmpty(_ text: String, _ field: String) throws {
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw MotionError.parse("\(field) is empty") }
        }
        switch task {
        case .generate(let caption, _), .analyze(let caption), .interleave(let caption), .refineInstruction(let caption, _):
            try nonEmpty(caption, "the text")
        case .refine(let caption, _, let instruction):
            try nonEmpty(caption, "the text")
            try nonEmpty(instruction, "the instruction")
        case .caption:
            break
        }
    }

    /// The response as text: motion tokens written out, `<eos>` and other special tokens dropped.
    public func text(of result: GenerationResult) throws -> String {
        try tokenizer.decode(result.tokens, skipSpecialTokens: true)
    }

    /// The motion a generation answer holds: the span the prompt opened, or
    /// the first (or `last`) span of the answer; no span is an error, never code 0.
    public func codes(of result: GenerationResult, request: GenerationRequest, last: Bool = false) throws -> [Int] {
        try motion.codes(in: result.tokens, startsInSpan: request.startsInSpan, last: last)
    }

    /// The codes of one span written in text (e.g. a transcript section).
    public func codes(inText text: String) throws -> [Int] {
        try motion.codes(in: tokenizer.encode(text, addSpecialTokens: false))
    }

    /// Log-probabilities of `continuation` after `prompt` (ids used verbatim).
    public func score(prompt: [Int], continuation: [Int], adapter: String?) throws -> ContinuationScore {
        try model.checkInput(prompt + continuation, adapter: adapter)
        let total = prompt.count + continuation.count
        guard total <= model.config.maxPositions else {
            throw MotionError.parse("prompt and continuation have \(total) tokens; the context holds \(model.config.maxPositions)")
        }
        return try model.score(prompt: prompt, continuation: continuation, adapter: adapter, prefixCache: prefixCache)
    }
}
