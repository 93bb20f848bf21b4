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
        let ranked = settings.topK > 0 ? largestIndices(logits, count: settings.topK) : rankedDescending(logits)
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

/// Every index, largest value first, lower index first on ties (-0 and +0 tie, as
/// `==` has them): the order of sorting indices by that comparison, found by a
/// stable radix sort. Sorting a 256k-token row with a comparator took 20 to 30 ms,
/// as long as a decoding step's forward pass; this takes about 1 ms.
func rankedDescending(_ values: [Float]) -> [Int] {
    let n = values.count
    // Ascending order of the key is descending order of the value (finite values).
    var keys = values.map { value -> UInt32 in
        let bits = (value == 0 ? Float(0) : value).bitPattern
        return bits & 0x8000_0000 != 0 ? bits : ~(bits | 0x8000_0000)
    }
    var order = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
        for i in 0..<n { buffer[i] = Int32(i) }
        count = n
    }
    var nextKeys = [UInt32](repeating: 0, count: n), nextOrder = [Int32](repeating: 0, count: n)
    var starts = [Int](repeating: 0, count: 2049)
    // Three stable passes of 11 bits, lowest first: equal keys stay in index order.
    for shift: UInt32 in [0, 11, 22] {
        keys.withUnsafeBufferPointer { k in
            order.withUnsafeBufferPointer { o in
                nextKeys.withUnsafeMutableBufferPointer { nk in
                    nextOrder.withUnsafeMutableBufferPointer { no in
                        starts.withUnsafeMutableBufferPointer { start in
                            for b in 0...2048 { start[b] = 0 }
                            for i in 0..<n { start[Int((k[i] >> shift) & 0x7FF) + 1] += 1 }
                            for b in 1...2048 { start[b] += start[b - 1] }
                            for i in 0..<n {
                                let bucket = Int((k[i] >> shift) & 0x7FF)
                                nk[start[bucket]] = k[i]
                                no[start[bucket]] = o[i]
                                start[bucket] += 1
                            }
                        }
                    }
                }
            }
        }
        swap(&keys, &nextKeys)
        swap(&order, &nextOrder)
    }
    return order.map(Int.init)
}

/// log softmax of `logits` at `index` (in double).
func logProbability(_ logits: [Float], at index: Int) -> Double {
    Double(logits[index]) - logSumExp(logits)
}

/// log(sum(exp(x))) in double (IRGNumerics' vectorized one).
func logSumExp(_ x: [Float]) -> Double {
    x.withUnsafeBufferPointer { IRGNumerics.logSumExp($0) }
}

/// The index of the largest value (the first, on ties, as torch.argmax).
public func argmax(_ values: [Float]) -> Int {
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    return best
}
