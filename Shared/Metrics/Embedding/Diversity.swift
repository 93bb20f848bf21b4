/// Diversity: the mean distance between `pairs` random pairs of rows, the two
/// index sets drawn without replacement from NumPy's legacy stream seeded with
/// `seed` (so the pairs are the reference script's for the same seed).
public func diversity(_ motions: EmbeddingMatrix, pairs: Int = 300, seed: UInt32) throws -> Double {
    guard motions.rows > pairs else {
        throw MetricError.invalid("diversity needs more than \(pairs) motions (it pairs \(pairs) at random); got \(motions.rows)")
    }
    var random = NumpyRandomState(seed: seed)
    let first = random.choiceWithoutReplacement(motions.rows, size: pairs)
    let second = random.choiceWithoutReplacement(motions.rows, size: pairs)
    return zip(first, second).reduce(0.0) { $0 + distance(motions.row($1.0), motions.row($1.1)) } / Double(pairs)
}

/// MultiModality: for each text, the mean distance between `pairs` random pairs
/// of its generations (the same index pairs for every text, as the reference).
/// `generations[t]` holds text t's generations, all with the same count.
public func multimodality(_ generations: [EmbeddingMatrix], pairs: Int = 10, seed: UInt32) throws -> Double {
    guard let perText = generations.first?.rows, generations.allSatisfy({ $0.rows == perText }) else {
        throw MetricError.invalid("multimodality needs the same number of generations for every text")
    }
    guard perText > pairs else {
        throw MetricError.invalid("multimodality needs more than \(pairs) generations per text; got \(perText)")
    }
    var random = NumpyRandomState(seed: seed)
    let first = random.choiceWithoutReplacement(perText, size: pairs)
    let second = random.choiceWithoutReplacement(perText, size: pairs)
    let total = generations.reduce(0.0) { sum, text in
        sum + zip(first, second).reduce(0.0) { $0 + distance(text.row($1.0), text.row($1.1)) }
    }
    return total / Double(generations.count * pairs)
}
