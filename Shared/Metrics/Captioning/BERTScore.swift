import Foundation

/// One sentence as BERTScore sees it: its tokens' contextual embeddings
/// (special tokens included, as bert_score keeps them as match candidates)
/// and each token's idf weight.
public struct TokenEmbeddings: Sendable {
    public let tokens: Int, dim: Int
    /// (tokens, dim), each row scaled to unit length.
    public let unitRows: [Float]
    public let weights: [Double]

    public init(tokens: Int, dim: Int, rows: [Float], weights: [Double]) {
        precondition(rows.count == tokens * dim && weights.count == tokens, "token embeddings shape")
        (self.tokens, self.dim, self.weights) = (tokens, dim, weights)
        var unit = rows
        for t in 0..<tokens {
            let row = t * dim ..< (t + 1) * dim
            let norm = rows[row].reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            for i in row { unit[i] /= norm }
        }
        unitRows = unit
    }
}

/// bert_score's idf: over the M reference sentences (each reference list
/// flattened, so a reference repeated counts each time), a token seen in df
/// of them weighs ln((M + 1) / (df + 1)), an unseen one ln(M + 1). Without
/// idf every token weighs 1. The sequence markers ([CLS], [SEP]) weigh 0.
public struct IDFWeights: Sendable {
    let weights: [Int: Double]
    let unseen: Double
    let markers: Set<Int>

    public init(references: [[Int]], markers: Set<Int>) {
        var documentFrequency: [Int: Int] = [:]
        for ids in references { for id in Set(ids) { documentFrequency[id, default: 0] += 1 } }
        let m = Double(references.count)
        weights = documentFrequency.mapValues { log((m + 1) / (Double($0) + 1)) }
        unseen = log(m + 1)
        self.markers = markers
    }

    public init(uniformExcept markers: Set<Int>) {
        (weights, unseen, self.markers) = ([:], 1, markers)
    }

    public func callAsFunction(_ id: Int) -> Double { markers.contains(id) ? 0 : weights[id] ?? unseen }
}

/// BERTScore (Zhang et al. 2020) as the bert_score package computes it: each
/// candidate token matched to its most similar reference token (cosine)
/// gives precision, each reference token to its most similar candidate token
/// recall, both idf-weighted means; F1 their harmonic mean (0 when undefined).
/// With several references a candidate keeps the best P, R and F1 separately.
/// A baseline rescales each as (x - b) / (1 - b). Reported as means over candidates.
public struct BERTScore: Sendable, Equatable {
    public var precision: [Double], recall: [Double], f1: [Double]

    public var meanPrecision: Double { precision.reduce(0, +) / Double(precision.count) }
    public var meanRecall: Double { recall.reduce(0, +) / Double(recall.count) }
    public var meanF1: Double { f1.reduce(0, +) / Double(f1.count) }

    /// `references[i]` are the reference sentences of `candidates[i]`.
    public init(candidates: [TokenEmbeddings], references: [[TokenEmbeddings]], baseline: BERTScoreBaseline? = nil) throws {
        guard !candidates.isEmpty, candidates.count == references.count else {
            throw MetricError.invalid("BERTScore needs one reference list per candidate (\(candidates.count) candidates, \(references.count) lists)")
        }
        (precision, recall, f1) = ([], [], [])
        for (candidate, refs) in zip(candidates, references) {
            guard !refs.isEmpty else { throw MetricError.invalid("a candidate has no references") }
            let scores = refs.map { Self.match(candidate, $0) }
            precision.append(baseline.rescale(scores.map(\.p).max()!, \.precision))
            recall.append(baseline.rescale(scores.map(\.r).max()!, \.recall))
            f1.append(baseline.rescale(scores.map(\.f).max()!, \.f1))
        }
    }

    static func match(_ candidate: TokenEmbeddings, _ reference: TokenEmbeddings) -> (p: Double, r: Double, f: Double) {
        let dim = candidate.dim
        var bestForCandidate = [Float](repeating: -.infinity, count: candidate.tokens)
        var bestForReference = [Float](repeating: -.infinity, count: reference.tokens)
        for i in 0..<candidate.tokens {
            for j in 0..<reference.tokens {
                var dot: Float = 0
                for c in 0..<dim { dot += candidate.unitRows[i * dim + c] * reference.unitRows[j * dim + c] }
                bestForCandidate[i] = max(bestForCandidate[i], dot)
                bestForReference[j] = max(bestForReference[j], dot)
            }
        }
        let weighted = { (best: [Float], weights: [Double]) in
            zip(best, weights).reduce(0) { $0 + Double($1.0) * $1.1 } / weights.reduce(0, +)
        }
        let p = weighted(bestForCandidate, candidate.weights), r = weighted(bestForReference, reference.weights)
        let f = 2 * p * r / (p + r)
        return (p, r, f.isNaN ? 0 : f)
    }
}

/// bert_score's rescale baselines: a CSV with the header LAYER,P,R,F whose
/// row i holds the baselines of the model's layer i.
public struct BERTScoreBaseline: Sendable, Equatable {
    public let precision: Double, recall: Double, f1: Double

    public init(precision: Double, recall: Double, f1: Double) {
        (self.precision, self.recall, self.f1) = (precision, recall, f1)
    }

    public init(file: URL, layer: Int) throws {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { throw MetricError.invalid("cannot read baseline \(file.path)") }
        let rows = text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
        guard layer < rows.count, rows[layer].count == 4 else {
            throw MetricError.invalid("\(file.lastPathComponent) has no LAYER,P,R,F row for layer \(layer)")
        }
        self.init(precision: rows[layer][1], recall: rows[layer][2], f1: rows[layer][3])
    }
}

extension Optional where Wrapped == BERTScoreBaseline {
    func rescale(_ x: Double, _ which: KeyPath<BERTScoreBaseline, Double>) -> Double {
        guard let b = self?[keyPath: which] else { return x }
        return (x - b) / (1 - b)
    }
}
