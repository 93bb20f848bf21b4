import Foundation
import IRGMotion
import IRGText

/// One continuation to produce.
public struct GenerationRequest: Sendable {
    public var prompt: [Int]
    public var adapter: String?
    public var settings: SamplingSettings
    /// Inside `<Motion>` ... `</Motion>` only codes or `</Motion>` may follow (nil: unconstrained).
    public var motion: MotionVocabulary?
    /// Ids that end the text (kept, last); nil: the model's end-of-sequence ids.
    public var stopIds: Set<Int>?
    /// The next call's prompt, run alongside to warm the prefix cache (ignored without one).
    public var warm: WarmPrompt?

    public init(prompt: [Int], adapter: String? = nil, settings: SamplingSettings, motion: MotionVocabulary? = nil,
                stopIds: Set<Int>? = nil, warm: WarmPrompt? = nil) {
        (self.prompt, self.adapter, self.settings, self.motion, self.stopIds, self.warm) = (prompt, adapter, settings, motion, stopIds, warm)
    }

    /// Whether the prompt leaves the model inside a motion span (it ends with `<Motion>`).
    var startsInSpan: Bool { motion != nil && prompt.last == motion?.open }
}

public struct GenerationResult: Sendable, Equatable {
    public enum Finish: Sendable, Equatable {
        /// An end-of-sequence (or other stop) id.
        case endOfSequence
        case stopString(String)
        case length
    }

    /// New ids, the end-of-sequence id included when it ended the text.
    public var tokens: [Int]
    /// Sum of the chosen tokens' log-probabilities under the model's
    /// distribution (temperature 1, before top-k/top-p; restricted to the
    /// allowed tokens inside a motion span).
    public var logProb: Double
    public var finish: Finish
}

/// Decodes requests together: one forward pass per step over every sequence
/// still running (batched matrix products), each with its own sampler,
/// adapter and motion-span state.
public struct TextGenerator: Sendable {
    public let model: Gemma2Model
    /// Needed for stop strings.
    public let tokenizer: BPETokenizer?
    /// Prompts share computed prefixes through it when set.
    public let prefixCache: PrefixCache?

    public init(model: Gemma2Model, tokenizer: BPETokenizer?, prefixCache: PrefixCache? = nil) {
        (self.model, self.tokenizer, self.prefixCache) = (model, tokenizer, prefixCache)
    }

    /// A cache for the prompt, holding as much of it as the prefix cache
    /// shares (never all: the last prompt token's logits are needed), and the
    /// prompt tokens still to run.
    func startingCache(for request: GenerationRequest) -> (cache: KVCache, rest: [Int]) {
        let cache = prefixCache?.lookup(request.prompt, adapter: request.adapter, limit: request.prompt.count - 1) ?? model.makeCache()
        return (cache, Array(request.prompt[cache.positions...]))
    }

    /// The request's warm prompt to start: a cache with as much of its
    /// prefix as the prefix cache shares, and those tokens. Nil when there is
    /// none or no prefix cache to leave it in.
    func startingWarmCache(for request: GenerationRequest) -> (cache: KVCache, held: [Int])? {
        guard let warm = request.warm, let prefixCache, !warm.prefix.isEmpty else { return nil }
        let cache = prefixCache.lookup(warm.prefix, adapter: warm.adapter, limit: warm.prefix.count) ?? model.makeCache()
        return (cache, Array(warm.prefix[..<cache.positions]))
    }

    /// Offers a cache that holds exactly the prompt to the prefix cache.
    func remember(_ request: GenerationRequest, cache: KVCache) {
        prefixCache?.insert(request.prompt, adapter: request.adapter, cache: cache)
    }

    public func generate(_ requests: [GenerationRequest]) throws -> [GenerationResult] {
        for r in requests { try validate(r) }
        var results = [GenerationResult?](repeating: nil, count: requests.count)
        let beamed = requests.indices.filter { requests[$0].settings.beams > 1 }
        for i in beamed { results[i] = try BeamSearch(generator: self, request: requests[i]).run() }
        let sampled = requests.indices.filter { requests[$0].settings.beams == 1 }
        for (k, result) in try sample(sampled.map { requests[$0] }).enumerated() { results[sampled[k]] = result }
        return results.map { $0! }
    }

    /// Everything about a request that would make it fail, checked before any
    /// work, so that one bad request never fails the batch it would join.
    public func validate(_ r: GenerationRequest) throws {
        try r.settings.validate()
        guard !r.prompt.isEmpty else { throw MotionError.parse("the prompt is empty") }
        try model.checkInput(r.prompt, adapter: r.adapter)
        guard r.prompt.count < model.config.maxPositions else {
            throw MotionError.parse("the prompt has \(r.prompt.count) tokens; the context holds \(model.config.maxPositions), leaving no room to generate")
        }
        if !r.settings.stop.isEmpty && tokenizer == nil { throw MotionError.parse("stop strings need the tokenizer") }
        if let warm = r.warm { try model.checkInput(warm.prefix, adapter: warm.adapter) }
    }

    private func sample(_ requests: [GenerationRequest]) throws -> [GenerationResult] {
        let batch = DecodingBatch(generator: self)
        let tickets = requests.map { batch.admit($0) }
        var results: [Int: GenerationResult] = [:]
        while !batch.isEmpty {
            for (ticket, result) in try batch.step() { results[ticket] = result }
        }
        return tickets.map { results[$0]! }
    }

    /// Why the text ends after `tokens`, if it does.
    func finish(after tokens: [Int], request: GenerationRequest) throws -> GenerationResult.Finish? {
        if let last = tokens.last, request.stopIds?.contains(last) ?? model.config.eosTokenIds.contains(last) {
            return .endOfSequence
        }
        if !request.settings.stop.isEmpty, let tokenizer {
            let text = try tokenizer.decode(tokens, skipSpecialTokens: false)
            if let hit = request.settings.stop.first(where: { text.hasSuffix($0) }) { return .stopString(hit) }
        }
        let full = request.prompt.count + tokens.count >= model.config.maxPositions
        return tokens.count >= request.settings.maxNewTokens || full ? .length : nil
    }
}
