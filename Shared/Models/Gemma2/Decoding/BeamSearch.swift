import Foundation

/// Beam search in which tokens, cumulative score and cache move together:
/// each step expands every live beam, ranks all candidates by cumulative
/// log-probability, and each survivor continues from its own parent's cache
/// and score (the issue warns that upstream followed the wrong beam's
/// scores). A hypothesis that ends (end of sequence, stop string, length) is
/// scored sum / length and kept aside; as transformers does by default, the
/// search ends once `beams` hypotheses are finished and the worst of them is
/// at least the best live beam's score at its current length.
struct BeamSearch {
    let generator: TextGenerator
    let request: GenerationRequest

    private struct Beam {
        var tokens: [Int]
        var score: Double
        var cache: KVCache
        var inSpan: Bool
    }

    func run() throws -> GenerationResult {
        let width = request.settings.beams
        let model = generator.model
        let (root, rest) = generator.startingCache(for: request)
        var beams = [Beam(tokens: [], score: 0, cache: root, inSpan: request.startsInSpan)]
        var finished: [(result: GenerationResult, normalized: Double)] = []
        var pending = [rest]
        while !beams.isEmpty {
            let inputs = zip(beams, pending).map { SequenceInput(tokens: $1, cache: $0.cache, adapter: request.adapter) }
            let vocabularies = beams.map { $0.inSpan ? request.motion?.spanRange : nil }
            let logits = try model.forward(inputs, vocabularies: vocabularies)
            if beams.count == 1, beams[0].tokens.isEmpty { generator.remember(request, cache: root) }
            var candidates: [(beam: Int, token: Int, score: Double)] = []
            for (b, row) in logits.enumerated() {
                let offset = vocabularies[b]?.lowerBound ?? 0
                let normalizer = logSumExp(row)
                let best = largestIndices(row, count: 2 * width)
                candidates += best.map { (b, $0 + offset, beams[b].score + Double(row[$0]) - normalizer) }
            }
            candidates.sort { $0.score > $1.score }
            var next: [Beam] = [], nextInputs: [[Int]] = []
            for c in candidates where next.count < width {
                let tokens = beams[c.beam].tokens + [c.token]
                if let finish = try generator.finish(after: tokens, request: request) {
                    finished.append((GenerationResult(tokens: tokens, logProb: c.score, finish: finish), c.score / Double(tokens.count)))
                    continue
                }
                var inSpan = beams[c.beam].inSpan
                if let motion = request.motion {
                    if c.token == motion.open { inSpan = true }
                    if c.token == motion.close { inSpan = false }
                }
                // Siblings share the parent's cache up to here; each gets its own copy.
                next.append(Beam(tokens: tokens, score: c.score, cache: beams[c.beam].cache.copy(), inSpan: inSpan))
                nextInputs.append([c.token])
            }
            let kept = finished.map(\.normalized).sorted(by: >).prefix(width)
            let bestAlive = next.map { $0.score / Double($0.tokens.count) }.max() ?? -.infinity
            if kept.count >= width, let worstKept = kept.last, worstKept >= bestAlive { break }
            beams = next
            pending = nextInputs
        }
        guard let best = finished.max(by: { $0.normalized < $1.normalized }) else {
            return GenerationResult(tokens: [], logProb: 0, finish: .length)
        }
        return best.result
    }
}
