import IRGMotion

/// Log-probabilities of a given continuation (for reward use): the prompt
/// and continuation in one pass, each continuation token scored by the
/// log-softmax of the logits at the position before it.
public struct ContinuationScore: Sendable, Equatable {
    public let tokenLogProbs: [Double]
    public var total: Double { tokenLogProbs.reduce(0, +) }
}

extension Gemma2Model {
    /// With `prefixCache`, the prompt's part before its last token is shared
    /// with earlier calls (scoring many continuations of one prompt).
    public func score(prompt: [Int], continuation: [Int], adapter: String? = nil, prefixCache: PrefixCache? = nil) throws -> ContinuationScore {
        guard !prompt.isEmpty else { throw MotionError.parse("the prompt is empty") }
        guard !continuation.isEmpty else { throw MotionError.parse("the continuation is empty") }
        // The last prompt row and every continuation row but the last predict the continuation.
        let head = Array(prompt.dropLast())
        let cache = prefixCache?.lookup(head, adapter: adapter, limit: head.count) ?? makeCache()
        if cache.positions < head.count {
            _ = try forward([SequenceInput(tokens: Array(head[cache.positions...]), cache: cache, adapter: adapter)])
            prefixCache?.insert(head, adapter: adapter, cache: cache)
        }
        let rows = try forward([SequenceInput(tokens: [prompt.last!] + continuation.dropLast(), cache: cache, adapter: adapter)],
                               logits: .all)
        return ContinuationScore(tokenLogProbs: zip(rows, continuation).map { logProbability($0, at: $1) })
    }
}
