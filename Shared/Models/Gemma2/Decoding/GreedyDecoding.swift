extension Gemma2Model {
    /// The argmax continuation of `prompt`: the prompt in one pass, then one
    /// token per pass from the cache. Stops after `maxNewTokens` or after a
    /// stop id (which is returned, last).
    public func greedy(prompt: [Int], maxNewTokens: Int, adapter: String? = nil, stopIds: Set<Int> = []) throws -> [Int] {
        let cache = makeCache()
        var next = prompt
        var generated: [Int] = []
        while generated.count < maxNewTokens {
            let logits = try forward([SequenceInput(tokens: next, cache: cache, adapter: adapter)])[0]
            let token = argmax(logits)
            generated.append(token)
            if stopIds.contains(token) { break }
            next = [token]
        }
        return generated
    }
}
