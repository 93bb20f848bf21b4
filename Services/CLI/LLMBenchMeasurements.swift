import CIRGKernels
import Foundation
import IRGModels
import IRGNumerics

/// What `irg bench llm` measures, one case at a time.
extension LLMBenchCommand {
    /// One round: each case on this engine, then at once on the peer.
    static func round(_ model: Gemma2Model, peer: ReferencePeer?, prompt: Int, decode: Int, span: Range<Int>?) throws -> LLMBenchRound {
        var round = LLMBenchRound()
        let prefill = try medianSeconds(3) { _ = try Self.prefill(model, length: prompt, seed: 1) }
        round.ours["prefill_tokens_per_s"] = Double(prompt) / prefill
        round.ours["ttft_s"] = prefill
        if let peer { round.peer.merge(try numbers(peer.ask("prefill"))) { $1 } }
        for batch in [1, 4] {
            round.ours["decode_\(batch)"] = try decodeRate(model, batch: batch, prompt: prompt, steps: decode, vocabulary: nil)
            if let peer { round.peer.merge(try numbers(peer.ask("decode \(batch)"))) { $1 } }
        }
        if let span { round.ours["decode_1_motion_span"] = try decodeRate(model, batch: 1, prompt: prompt, steps: decode, vocabulary: span) }
        return round
    }

    /// Quantizes the model to int8 in place, its BF16 logits taken first.
    /// Logit error: max and mean |int8 - original| over the last-row logits
    /// of 4 prompts, and how many of the 4 agree on the top token; greedy
    /// agreement over `decode` steps from the first prompt.
    /// `int8_weight_bytes` is what one decode step reads.
    static func quantizeMeasuringError(_ model: inout Gemma2Model, prompt: Int, decode: Int) throws -> [String: Double] {
        let prompts = (0..<4).map { ids(prompt, seed: 100 + $0, vocabulary: model.config.vocabSize) }
        func lastLogits(_ m: Gemma2Model) throws -> [[Float]] {
            try m.forward(prompts.map { SequenceInput(tokens: $0, cache: m.makeCache()) })
        }
        func greedy(_ m: Gemma2Model) throws -> [Int] {
            try m.greedy(prompt: prompts[0], maxNewTokens: decode)
        }
        let (reference, referenceGreedy) = (try lastLogits(model), try greedy(model))
        model.quantizeInt8()
        let (logits, tokens) = (try lastLogits(model), try greedy(model))
        let errors = zip(logits.joined(), reference.joined()).map { Double(abs($0 - $1)) }
        return [
            "int8_weight_bytes": Double(model.weightBytes),
            "logit_max_abs_error": errors.max() ?? 0,
            "logit_mean_abs_error": errors.reduce(0, +) / Double(errors.count),
            "logit_max_abs": Double(reference.joined().map(abs).max() ?? 0),
            "top1_agreement": Double(zip(logits, reference).filter { argmax($0) == argmax($1) }.count) / Double(prompts.count),
            "greedy_agreement": Double(zip(tokens, referenceGreedy).prefix { $0 == $1 }.count) / Double(max(1, referenceGreedy.count)),
        ]
    }

    /// `<bos>` and random ids below Gemma2's 256,000 text tokens (or the model's vocabulary, if smaller).
    static func ids(_ count: Int, seed: Int, vocabulary: Int) -> [Int] {
        var random = SeededRandom(seed: UInt64(seed))
        let choices = UInt64(min(vocabulary, 256_000) - 3)
        return [2] + (1..<count).map { _ in 3 + Int(random.next() % choices) }
    }

    static func prefill(_ model: Gemma2Model, length: Int, seed: Int) throws -> (KVCache, Int) {
        let cache = model.makeCache()
        let logits = try model.forward([SequenceInput(tokens: ids(length, seed: seed, vocabulary: model.config.vocabSize), cache: cache)])
        return (cache, argmax(logits[0]))
    }

    /// Time to first token of a prompt whose first `prompt - fresh` tokens an
    /// earlier prompt left in the prefix cache (a new tail each time).
    static func sharedPrefixTTFT(_ model: Gemma2Model, prompt: Int, fresh: Int = 8) throws -> Double {
        let generator = TextGenerator(model: model, tokenizer: nil, prefixCache: PrefixCache(capacityBytes: 1 << 30))
        let shared = ids(prompt - fresh, seed: 1, vocabulary: model.config.vocabSize)
        var tail = 10
        return try medianSeconds(2) {
            tail += 1
            let request = GenerationRequest(prompt: shared + ids(fresh + 1, seed: tail, vocabulary: model.config.vocabSize).dropFirst(), settings: SamplingSettings(greedy: true, maxNewTokens: 1))
            _ = try generator.generate([request])
        }
    }

    /// Tokens per second over `steps` greedy steps of `batch` sequences decoded together.
    static func decodeRate(_ model: Gemma2Model, batch: Int, prompt: Int, steps: Int, vocabulary: Range<Int>?) throws -> Double {
        var (caches, next) = ([KVCache](), [Int]())
        for b in 0..<batch {
            let (cache, token) = try prefill(model, length: prompt, seed: 10 + b)
            caches.append(cache)
            next.append(vocabulary?.lowerBound ?? token)
        }
        let start = ContinuousClock.now
        for _ in 0..<steps {
            let inputs = zip(caches, next).map { SequenceInput(tokens: [$1], cache: $0) }
            let logits = try model.forward(inputs, vocabularies: [Range<Int>?](repeating: vocabulary, count: batch))
            next = logits.map { argmax($0) + (vocabulary?.lowerBound ?? 0) }
        }
        return Double(batch * steps) / (ContinuousClock.now - start).seconds
    }

    /// The best of 10 passes reading the model's matrices once, where they
    /// lie (packed, in the pages the engine reads), in bytes per second.
    static func readBandwidth(_ model: Gemma2Model, threads: Int) -> Double {
        ReadBandwidth.best(threads: threads) { read in
            for matrix in model.matrices { matrix.forEachStoredRegion(read) }
        }
    }

    /// The share of a decode step's bytes left inside a motion span, where
    /// the output layer computes only </Motion> and the 512 codes.
    static func motionSpanShare(_ c: Gemma2Config) -> Double {
        let attention = c.hiddenSize * c.headDim * (2 * c.headCount + 2 * c.keyValueHeadCount)
        let mlp = 3 * c.hiddenSize * c.intermediateSize
        let embedding = Double(c.vocabSize * c.hiddenSize)
        let all = embedding + Double(c.layerCount * (attention + mlp + 4 * c.hiddenSize) + c.hiddenSize)
        let motionRows = 513.0
        return (all - embedding * (1 - motionRows / Double(c.vocabSize))) / all
    }

    /// The numbers of a peer's answer.
    static func numbers(_ answer: [String: Any]) -> [String: Double] { answer.compactMapValues { $0 as? Double } }
}
