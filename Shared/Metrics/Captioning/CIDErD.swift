import Foundation

/// CIDEr-D as pycocoevalcap's Cider (n = 4, sigma = 6): TF-IDF n-gram vectors
/// with document frequencies over each item's reference set, the candidate's
/// weights clipped by the reference's, a Gaussian penalty on the length gap,
/// averaged over orders and references and scaled by 10; the mean over items.
/// pycocoevalcap's "length" counts bigrams, not words; kept, as it changes the penalty.
public func meanCIDErD(candidates: [[String]], references: [[[String]]], maxOrder: Int = 4, sigma: Double = 6) -> Double {
    var documentFrequency: [[String]: Double] = [:]
    for refs in references {
        var seen = Set<[String]>()
        for ref in refs { for order in NGramCounts(ref, maxOrder: maxOrder).byOrder { seen.formUnion(order.keys) } }
        for gram in seen { documentFrequency[gram, default: 0] += 1 }
    }
    let logItems = log(Double(references.count))
    let vector = { (words: [String]) in TFIDFVector(words, maxOrder: maxOrder, logItems: logItems, documentFrequency: documentFrequency) }
    var total = 0.0
    for (candidate, refs) in zip(candidates, references) {
        let hypothesis = vector(candidate)
        var perOrder = [Double](repeating: 0, count: maxOrder)
        for ref in refs {
            let reference = vector(ref)
            let gap = Double(hypothesis.length - reference.length)
            let penalty = exp(-(gap * gap) / (2 * sigma * sigma))
            for n in 0..<maxOrder {
                var value = 0.0
                for (gram, weight) in hypothesis.weights[n] {
                    let other = reference.weights[n][gram] ?? 0
                    value += min(weight, other) * other
                }
                if hypothesis.norms[n] != 0, reference.norms[n] != 0 { value /= hypothesis.norms[n] * reference.norms[n] }
                perOrder[n] += value * penalty
            }
        }
        total += perOrder.reduce(0, +) / Double(maxOrder) / Double(refs.count) * 10
    }
    return total / Double(candidates.count)
}

/// One sentence's TF-IDF weights per n-gram order, their norms, and its bigram count.
private struct TFIDFVector {
    var weights: [[[String]: Double]]
    var norms: [Double]
    var length = 0

    init(_ words: [String], maxOrder: Int, logItems: Double, documentFrequency: [[String]: Double]) {
        let counts = NGramCounts(words, maxOrder: maxOrder).byOrder
        weights = counts.map { order in
            order.mapValues(Double.init).reduce(into: [:]) { out, entry in
                out[entry.key] = entry.value * (logItems - log(max(1, documentFrequency[entry.key] ?? 0)))
            }
        }
        norms = weights.map { $0.values.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        length = counts.count > 1 ? counts[1].values.reduce(0, +) : 0
    }
}
