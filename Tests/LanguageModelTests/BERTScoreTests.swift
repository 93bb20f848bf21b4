import Foundation
import IRGMetrics
import IRGModels
import IRGText
import Testing

/// BERTScore with a supplied model against HF `tokenizers`, `transformers`
/// (float64) and the bert_score package on a tiny random BERT
/// (Scripts/reference/make_bertscore_fixtures.py). Models run off the
/// cooperative pool, as everywhere in the tests (see EvaluatorTests).
@Suite struct BERTScoreTests {
    static func url(_ path: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/bertscore/\(path)", withExtension: nil)!
    }

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(path)))
    }

    @Test func wordPieceEncodesLikeHuggingFace() async throws {
        let tokenizer = try WordPieceTokenizer(contentsOf: Self.url("model"))
        let cases = (try Self.json("tokenizer_cases.json") as! [[String: Any]]).map { ($0["text"] as! String, $0["ids"] as! [Int]) }
        let mismatches = try await offPool { cases.compactMap { text, ids -> String? in
            let ours = tokenizer.encode(text)
            return ours == ids ? nil : "\(text.debugDescription): \(ours) vs \(ids)"
        } }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(cases.count) differ: \(mismatches.prefix(4))")
    }

    @Test func hiddenStatesMatchTransformers() async throws {
        let sentences = (try Self.json("hidden.json") as! [[String: Any]]).map { ($0["ids"] as! [Int], $0["layers"] as! [[[Double]]]) }
        let worst = try await offPool {
            var worst = 0.0
            for layers in 0...3 {
                let encoder = try BERTEncoder(folder: Self.url("model"), layers: layers)
                for (ids, states) in sentences {
                    let ours = try encoder.hiddenStates(ids)
                    worst = max(worst, zip(ours, states[layers].flatMap { $0 }).map { abs(Double($0) - $1) }.max()!)
                }
            }
            return worst
        }
        #expect(worst < 1e-4, "max abs error \(worst)")
    }

    @Test func scoresMatchTheBertScorePackage() async throws {
        let fixture = try Self.json("scores.json") as! [String: Any]
        let (candidates, references) = (fixture["candidates"] as! [String], fixture["references"] as! [[String]])
        let cases = (fixture["cases"] as! [[String: Any]]).map { c in
            (c["layers"] as! Int, c["idf"] as! Bool, c["rescale"] as! Bool, [c["precision"], c["recall"], c["f1"]].map { $0 as! [Double] })
        }
        let worst = try await offPool {
            var worst = 0.0
            for (layers, idf, rescale, expected) in cases {
                let scorer = try BERTScorer(folder: Self.url("model"), layers: layers)
                let baseline = rescale ? try BERTScoreBaseline(file: Self.url("baseline.tsv"), layer: layers) : nil
                let score = try scorer.score(predictions: candidates, references: references, idf: idf, baseline: baseline)
                for (ours, theirs) in zip([score.precision, score.recall, score.f1], expected) {
                    worst = max(worst, zip(ours, theirs).map { abs($0 - $1) }.max()!)
                }
            }
            return worst
        }
        #expect(worst < 1e-4, "max abs error \(worst)")
    }

    @Test func badModelsAndInputSayWhy() async throws {
        #expect(throws: BERTError.self) { try BERTScorer(folder: Self.url("model")) }  // a 3-layer model has no default layer
        #expect(throws: BERTError.self) { try BERTEncoder(folder: Self.url("model"), layers: 4) }
        let encoder = try BERTEncoder(folder: Self.url("model"), layers: 1)
        #expect(throws: BERTError.self) { try encoder.hiddenStates([2, 100_000, 3]) }
        #expect(throws: BERTError.self) { try encoder.hiddenStates(Array(repeating: 7, count: 65)) }
        let scorer = try BERTScorer(folder: Self.url("model"), layers: 1)
        await #expect(throws: MetricError.self) { try await offPool { try scorer.score(predictions: ["a"], references: [[]]) } }
        #expect(throws: (any Error).self) { try BPETokenizer(contentsOf: Self.url("model")) }
    }
}
