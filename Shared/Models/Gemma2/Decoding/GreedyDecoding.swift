extension Gemma2Model {
    /// The argmax continuation of `prompt` (TextGenerator with greedy
    /// settings): stops after `maxNewTokens` or after a stop id (which is
    /// returned, last); no stop ids: only the length stops it.
    public func greedy(prompt: [Int], maxNewTokens: Int, adapter: String? = nil, stopIds: Set<Int> = []) throws -> [Int] {
        let request = GenerationRequest(prompt: prompt, adapter: adapter,
                                        settings: SamplingSettings(greedy: true, maxNewTokens: maxNewTokens), stopIds: stopIds)
        return try TextGenerator(model: self, tokenizer: nil).generate([request])[0].tokens
    }
}
