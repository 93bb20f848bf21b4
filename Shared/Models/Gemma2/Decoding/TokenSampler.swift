import Foundation
import IRGNumerics

/// Picks the next token from one row of logits.
struct TokenSampler {
    let settings: SamplingSettings
    var random: SeededRandom

    init(settings: SamplingSettings) {
        self.settings = settings
        random = SeededRandom(seed: settings.seed ?? UInt64.random(in: 1...UInt64.max))
    }

    /// An index into `logits`.
    mutating func choose(_ logits: [Float]) -> Int {
        if settings.greedy { return argmax(logits) }
        // Most likely first (lower id first on ties); with top-k only those k are ranked.
        let ranked = settings.topK > 0 ? largestIndices(logits, count: settings.topK)
            : logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        let candidates = ranked.map { (index: $0, logit: logits[$0] / settings.temperature) }
        let largest = candidates[0].logit
        var probabilities = candidates.map { Double(expf($0.logit - largest)) }
        let total = probabilities.reduce(0, +)
        for i in probabilities.indices { probabilities[i] /= total }
        if settings.topP < 1 {
            // The smallest set of most likely tokens whose mass reaches top_p.
            var mass = 0.0, keep = 0
            while keep < probabilities.count, mass < Double(settings.topP) { mass += probabilities[keep]; keep += 1 }
            probabilities = Array(probabilities.prefix(max(keep, 1)))
        }
        let u = Double(random.next() >> 11) * 0x1p-53 * probabilities.reduce(0, +)
        var cumulative = 0.0
        for (k, p) in probabilities.enumerated() {
            cumulative += p
            if u < cumulative { return candidates[k].index }
        }
        return candidates[probabilities.count - 1].index
    }
}

/// The indices of the `count` largest values, largest first (lower index
/// first on ties): the prefix of a full sort, without sorting a 256k-token row.
func largestIndices(_ values: [Float], count: Int) -> [Int] {
    var best: [Int] = []
    best.reserveCapacity(count + 1)
    for i in values.indices where best.count < count || values[i] > values[best[best.count - 1]] {
        // After every kept index whose value is >= this one (they have lower indices).
        var (low, high) = (0, best.count)
        while low < high {
            let mid = (low + high) / 2
            if values[best[mid]] >= values[i] { low = mid + 1 } else { high = mid }
        }
        best.insert(i, at: low)
        if best.count > count { best.removeLast() }
    }
    return best
}

/// log softmax of `logits` at `index` (in double).
func logProbability(_ logits: [Float], at index: Int) -> Double {
    Double(logits[index]) - logSumExp(logits)
}

/// log(sum(exp(x))) in double.
func logSumExp(_ x: [Float]) -> Double {
    let largest = Double(x.max() ?? 0)
    return largest + log(x.reduce(0.0) { $0 + exp(Double($1) - largest) })
}

/// The index of the largest value (the first, on ties, as torch.argmax).
public func argmax(_ values: [Float]) -> Int {
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    return best
}
