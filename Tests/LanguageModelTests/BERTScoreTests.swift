import Foundation
import IRGMetrics
import IRGModels
import IRGText
import Testing

/// BERTScore with a supplied model against HF `tokenizers`, `transformers`
/// (float64) and the bert_score package on a tiny random BERT
/// (Scripts/reference/make_bertscore_fixtures.py).
@Suite struct BERTScoreTests {
    static func url(_ path: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/bertscore/\(path)", withExtension: nil)!
    }

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(path)))
    }

    @Test func wordPieceEncodesLikeHuggingFace() throws {
        let tokenizer = try WordPieceTokenizer(contentsOf: Self.url("model"))
        let cases = try Self.json("tokenizer_cases.json") as! [[String: Any]]
        let mismatches = cases.compactMap { c -> String? in
            let (text, ids) = (c["text"] as! String, c["ids"] as! [Int])
            let ours = tokenizer.encode(text)
            return ours == ids ? nil : "\(text.debugDescription): \(ours) vs \(ids)"
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(cases.count) differ: \(mismatches.prefix(4))")
    }

    @Test func hiddenStatesMatchTransformers() throws {
        let sentences = try Self.json("hidden.json") as! [[String: Any]]
        var worst = 0.0
        for layers in 0...3 {
            let encoder = try BERTEncoder(folder: Self.url("model"), layers: layers)
            for sentence in sentences {
                let expected = ((sentence["layers"] as! [[[Double]]])[layers]).flatMap { $0 }
                let ours = try encoder.hiddenStates(sentence["ids"] as! [Int])
                worst = max(worst, zip(ours, expected).map { abs(Double($0) - $1) }.max()!)
            }
        }
        #expect(worst < 1e-4, "max abs error \(worst)")
    }

    @Test func scoresMatchTheBertScorePackage() throws {
        let fixture = try Self.json("scores.json") as! [String: Any]
        let (candidates, references) = (fixture["candidates"] as! [String], fixture["references"] as! [[String]])
        var worst = 0.0
        for c in fixture["cases"] as! [[String: Any]] {
            let layers = c["layers"] as! Int
            let scorer = try BERTScorer(folder: Self.url("model"), layers: layers)
            let baseline = (c["rescale"] as! Bool) ? try BERTScoreBaseline(file: Self.url("baseline.tsv"), layer: layers) : nil
            let score = try scorer.score(predictions: candidates, references: references, idf: c["idf"] as! Bool, baseline: baseline)
            for (ours, key) in [(score.precision, "precision"), (score.recall, "recall"), (score.f1, "f1")] {
                worst = max(worst, zip(ours, c[key] as! [Double]).map { abs($0 - $1) }.max()!)
            }
        }
        #expect(worst < 1e-4, "max abs error \(worst)")
    }

    @Test func badModelsAndInputSayWhy() throws {
        #expect(throws: BERTError.self) { try BERTScorer(folder: Self.url("model")) }  // a 3-layer model has no default layer
        #expect(throws: BERTError.self) { try BERTEncoder(folder: Self.url("model"), layers: 4) }
        let encoder = try BERTEncoder(folder: Self.url("model"), layers: 1)
        #expect(throws: BERTError.self) { try encoder.hiddenStates([2, 100_000, 3]) }
        #expect(throws: BERTError.self) { try encoder.hiddenStates(Array(repeating: 7, count: 65)) }
        let scorer = try BERTScorer(folder: Self.url("model"), layers: 1)
        #expect(throws: MetricError.self) { try scorer.score(predictions: ["a"], references: [[]]) }
        #expect(throws: (any Error).self) { try BPETokenizer(contentsOf: Self.url("model")) }
    }
}
