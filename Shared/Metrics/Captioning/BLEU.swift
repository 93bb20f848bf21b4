import Foundation

/// Corpus-level BLEU@1..4 as pycocoevalcap's BleuScorer with option "closest":
/// clipped n-gram matches and candidate n-gram counts are summed over the
/// corpus; each candidate's reference length is the one closest to its own
/// length (the shorter on ties); the brevity penalty uses the summed lengths.
/// The tiny/small constants keep pycocoevalcap's behaviour on empty counts.
public func corpusBLEU(candidates: [[String]], references: [[[String]]], maxOrder: Int = 4) -> [Double] {
    var correct = [Double](repeating: 0, count: maxOrder)
    var guesses = [Double](repeating: 0, count: maxOrder)
    var (candidateLength, referenceLength) = (0.0, 0.0)
    for (candidate, refs) in zip(candidates, references) {
        var maxReferenceCounts = [[String]: Int]()
        for ref in refs {
            for order in NGramCounts(ref, maxOrder: maxOrder).byOrder {
                for (gram, count) in order { maxReferenceCounts[gram] = max(maxReferenceCounts[gram] ?? 0, count) }
            }
        }
        for (k, order) in NGramCounts(candidate, maxOrder: maxOrder).byOrder.enumerated() {
            for (gram, count) in order { correct[k] += Double(min(maxReferenceCounts[gram] ?? 0, count)) }
            guesses[k] += Double(max(0, candidate.count - k))
        }
        candidateLength += Double(candidate.count)
        referenceLength += Double(refs.map(\.count).min { (abs($0 - candidate.count), $0) < (abs($1 - candidate.count), $1) } ?? 0)
    }
    let (tiny, small) = (1e-15, 1e-9)
    var product = 1.0
    var scores: [Double] = []
    for k in 0..<maxOrder {
        product *= (correct[k] + tiny) / (guesses[k] + small)
        scores.append(pow(product, 1 / Double(k + 1)))
    }
    let ratio = (candidateLength + tiny) / (referenceLength + small)
    return ratio < 1 ? scores.map { $0 * exp(1 - 1 / ratio) } : scores
}
