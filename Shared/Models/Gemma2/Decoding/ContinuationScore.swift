import IRGMotion

/// Log-probabilities of a given continuation (for reward use): the prompt
/// and continuation in one pass, each continuation token scored by the
/// log-softmax of the logits at the position before it.
public struct ContinuationScore: Sendable, Equatable {
    public let tokenLogProbs: [Double]
    public var total: Double { tokenLogProbs.reduce(0, +) }
}

extension Gemma2Model {
    public func score(prompt: [Int], continuation: [Int], adapter: String? = nil) throws -> ContinuationScore {
        guard !prompt.isEmpty else { throw MotionError.parse("the prompt is empty") }
        guard !continuation.isEmpty else { throw MotionError.parse("the continuation is empty") }
        let cache = makeCache()
        // The last prompt row and every continuation row but the last predict the continuation.
        if prompt.count > 1 {
            _ = try forward([SequenceInput(tokens: Array(prompt.dropLast()), cache: cache, adapter: adapter)])
        }
        let rows = try forward([SequenceInput(tokens: [prompt.last!] + continuation.dropLast(), cache: cache, adapter: adapter)],
                               logits: .all)
        return ContinuationScore(tokenLogProbs: zip(rows, continuation).map { logProbability($0, at: $1) })
    }
}
