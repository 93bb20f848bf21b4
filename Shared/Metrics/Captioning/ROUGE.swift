/// ROUGE-L as pycocoevalcap's Rouge: per candidate, the best LCS precision and
/// the best LCS recall over its references (each maximised on its own), combined
/// as an F-measure with beta 1.2; the mean over candidates.
public func meanROUGEL(candidates: [[String]], references: [[[String]]], beta: Double = 1.2) -> Double {
    let scores = zip(candidates, references).map { candidate, refs in rougeL(candidate, refs, beta: beta) }
    return scores.reduce(0, +) / Double(scores.count)
}

func rougeL(_ candidate: [String], _ references: [[String]], beta: Double) -> Double {
    // pycocoevalcap splits on single spaces, so an empty caption is one empty token.
    let asSplit = { (words: [String]) in words.isEmpty ? [""] : words }
    let c = asSplit(candidate)
    var (precision, recall) = (0.0, 0.0)
    for reference in references.map(asSplit) {
        let common = Double(longestCommonSubsequence(reference, c))
        precision = max(precision, common / Double(c.count))
        recall = max(recall, common / Double(reference.count))
    }
    guard precision != 0, recall != 0 else { return 0 }
    return (1 + beta * beta) * precision * recall / (recall + beta * beta * precision)
}

func longestCommonSubsequence(_ a: [String], _ b: [String]) -> Int {
    var previous = [Int](repeating: 0, count: b.count + 1)
    for x in a {
        var current = [Int](repeating: 0, count: b.count + 1)
        for (j, y) in b.enumerated() { current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j]) }
        previous = current
    }
    return previous[b.count]
}
