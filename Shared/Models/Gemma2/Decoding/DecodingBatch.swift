/// Sequences decoded together, one forward pass per `step`, that new
/// requests can join between steps (continuous batching): a joining
/// request's prompt runs in the same pass as the others' next tokens, and a
/// finished sequence leaves at once, so nobody waits for the longest member.
/// Each sequence keeps its own sampler, adapter and motion-span state.
/// Not thread-safe: one owner admits and steps (the batcher's actor, or
/// `TextGenerator.generate`).
public final class DecodingBatch: @unchecked Sendable {
    private struct Running {
        let ticket: Int
        let request: GenerationRequest
        let cache: KVCache
        var sampler: TokenSampler
        var inSpan: Bool
        /// Tokens to run next: the prompt (less any shared prefix) at first, then the last choice.
        var next: [Int]
        var result = GenerationResult(tokens: [], logProb: 0, finish: .length)
        /// Whether the request's warm prompt starts after its first step.
        var warmsNext: Bool
        /// The request's warm prompt, while it runs alongside.
        var warming: Warming?
    }

    /// A warm prompt being run: what its cache holds and what it runs next.
    private struct Warming {
        let prompt: WarmPrompt
        let cache: KVCache
        var held: [Int]
        var next: [Int] = []

        /// After a step ran `next`.
        mutating func ran() {
            held += next
            next = []
        }

        /// Next runs what `target` adds to what is held; held tokens that no longer match are dropped.
        mutating func aim(at target: ArraySlice<Int>) {
            var kept = 0
            while kept < held.count, kept < target.count, held[kept] == target[target.startIndex + kept] { kept += 1 }
            if kept < held.count {
                cache.truncate(to: kept)
                held.removeLast(held.count - kept)
            }
            next = Array(target.dropFirst(kept))
        }
    }

    /// Warm prompts start only while fewer sequences than this decode: a warm row is nearly
    /// free while a step streams the weights for a few rows, not once many rows (best-of-n,
    /// an evaluation) make the step compute-bound.
    static let warmingBatchLimit = 4

    let generator: TextGenerator
    private var running: [Running] = []
    private var nextTicket = 0

    public init(generator: TextGenerator) { self.generator = generator }

    /// Sequences still decoding.
    public var count: Int { running.count }
    public var isEmpty: Bool { running.isEmpty }

    /// Adds a sampled (not beam) request, validated by the caller; its
    /// ticket names its result when `step` returns it.
    public func admit(_ request: GenerationRequest) -> Int {
        precondition(request.settings.beams == 1, "beam search runs on its own")
        let (cache, rest) = generator.startingCache(for: request)
        defer { nextTicket += 1 }
        running.append(Running(ticket: nextTicket, request: request, cache: cache,
                               sampler: TokenSampler(settings: request.settings), inSpan: request.startsInSpan, next: rest,
                               warmsNext: request.warm != nil && running.count < Self.warmingBatchLimit))
        return nextTicket
    }

    /// Drops every running sequence (after a failed step).
    public func clear() { running = [] }

    /// One forward pass over every running sequence and one token each;
    /// returns the sequences that finished, which leave the batch.
    public func step() throws -> [(ticket: Int, result: GenerationResult)] {
        guard !running.isEmpty else { return [] }
        var inputs = running.map { SequenceInput(tokens: $0.next, cache: $0.cache, adapter: $0.request.adapter) }
        var vocabularies = running.map { $0.inSpan ? $0.request.motion?.spanRange : nil }
        // Warm prompts ride in the same pass; their logits are never read, so one output row each.
        for w in running.compactMap(\.warming) where !w.next.isEmpty {
            inputs.append(SequenceInput(tokens: w.next, cache: w.cache, adapter: w.prompt.adapter))
            vocabularies.append(0..<1)
        }
        let logits = try generator.model.forward(inputs, vocabularies: vocabularies)
        var finished: [(ticket: Int, result: GenerationResult)] = []
        var still: [Running] = []
        for (k, var r) in running.enumerated() {
            if r.result.tokens.isEmpty { generator.remember(r.request, cache: r.cache) }
            let index = r.sampler.choose(logits[k])
            r.result.logProb += logProbability(logits[k], at: index)
            let token = index + (vocabularies[k]?.lowerBound ?? 0)
            let done = try accept(token, into: &r)
            warm(&r, done: done)
            if done {
                finished.append((r.ticket, r.result))
            } else {
                still.append(r)
            }
        }
        running = still
        return finished
    }

    /// Starts the warm prompt once the request's own prompt is in the prefix
    /// cache (it shares a start with the next call's: the template, the
    /// caption, the motion); brings it up to the request's tokens after each
    /// step; once the request ends, leaves what it holds in the prefix cache.
    private func warm(_ r: inout Running, done: Bool) {
        if r.warmsNext, !done, let warm = r.request.warm, let start = generator.startingWarmCache(for: r.request) {
            r.warming = Warming(prompt: warm, cache: start.cache, held: start.held)
        }
        r.warmsNext = false
        guard var w = r.warming else { return }
        w.ran()
        if done {
            generator.prefixCache?.insert(w.held, adapter: w.prompt.adapter, taking: w.cache)
            r.warming = nil
        } else {
            w.aim(at: w.prompt.follow(r.result.tokens).prefix(generator.model.config.maxPositions - 1))
            r.warming = w
        }
    }

    /// Records the token; whether the sequence is done.
    private func accept(_ token: Int, into r: inout Running) throws -> Bool {
        r.result.tokens.append(token)
        r.next = [token]
        if let motion = r.request.motion {
            if token == motion.open { r.inSpan = true }
            if token == motion.close { r.inSpan = false }
        }
        guard let finish = try generator.finish(after: r.result.tokens, request: r.request) else { return false }
        r.result.finish = finish
        return true
    }
}
