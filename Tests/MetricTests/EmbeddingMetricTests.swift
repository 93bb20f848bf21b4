import Foundation
@testable import IRGMetrics
import IRGMotion
import Testing

/// R-precision, MM-Dist, FID and Diversity against the NumPy/SciPy reference
/// (Scripts/reference/t2m_metrics_reference.py) on fixed arrays: within 1e-5 relative.
@Suite struct EmbeddingMetricTests {
    @Test(arguments: ["full", "singular"])
    func matchesTheReference(case name: String) throws {
        let expected = try MetricFixtures.json("embedding/\(name)/expected.json")
        let metrics = try EmbeddingMetrics(
            texts: MetricFixtures.embeddings("embedding/\(name)/texts.npy"),
            motions: MetricFixtures.embeddings("embedding/\(name)/motions.npy"),
            groundTruth: MetricFixtures.embeddings("embedding/\(name)/gt.npy"),
            seed: UInt32(expected["seed"] as! Int), diversityPairs: expected["diversity_pairs"] as! Int)
        let rPrecision = expected["r_precision"] as! [Double]
        for k in 0..<3 { #expect(MetricFixtures.relativeError(metrics.rPrecision[k], rPrecision[k]) <= 1e-5, "top-\(k + 1)") }
        let errors = [
            ("mm_dist", MetricFixtures.relativeError(metrics.mmDist, expected["mm_dist"] as! Double)),
            ("fid", MetricFixtures.relativeError(metrics.fid!, expected["fid"] as! Double)),
            ("diversity", MetricFixtures.relativeError(metrics.diversity!, expected["diversity"] as! Double)),
        ]
        print("\(name): relative errors \(errors)")
        for (metric, error) in errors { #expect(error <= 1e-5, "\(name) \(metric): relative error \(error)") }
    }

    @Test func numpyChoiceIsReproduced() throws {
        let fixture = try MetricFixtures.json("embedding/numpy_choice.json")
        for case let choice as [String: Any] in fixture["choices"] as! [Any] {
            var random = NumpyRandomState(seed: UInt32(choice["seed"] as! Int))
            let (n, k) = (choice["n"] as! Int, choice["k"] as! Int)
            #expect(random.choiceWithoutReplacement(n, size: k) == choice["first"] as! [Int])
            #expect(random.choiceWithoutReplacement(n, size: k) == choice["second"] as! [Int])
        }
    }

    @Test func multimodalityMatchesTheReference() throws {
        let fixture = try MetricFixtures.json("embedding/numpy_choice.json")["multimodality"] as! [String: Any]
        let array = try NPYArray.read(MetricFixtures.url("embedding/generations.npy"))
        let (texts, perText, dim) = (array.shape[0], array.shape[1], array.shape[2])
        let values = array.floats().map(Double.init)
        let generations = (0..<texts).map {
            EmbeddingMatrix(rows: perText, dim: dim, values: Array(values[$0 * perText * dim ..< ($0 + 1) * perText * dim]))
        }
        let value = try multimodality(generations, pairs: fixture["pairs"] as! Int, seed: UInt32(fixture["seed"] as! Int))
        #expect(MetricFixtures.relativeError(value, fixture["value"] as! Double) <= 1e-5)
    }

    @Test func partialBatchIsDroppedAndTiesRankStably() throws {
        // Two identical motions: the stable order puts the earlier column first.
        let row = [3.0, 1.0, 1.0, 2.0][...]
        #expect(MatchingScores.stableRank(of: 1, in: row) == 0)
        #expect(MatchingScores.stableRank(of: 2, in: row) == 1)
        let texts = EmbeddingMatrix(rows: 33, dim: 2, values: (0..<66).map(Double.init))
        let scores = try MatchingScores(texts: texts, motions: texts)
        #expect(scores.samples == 32)
        #expect(scores.rPrecision == [1, 1, 1])
        #expect(scores.mmDist == 0)
    }

    @Test func tooFewRowsAreClearErrors() throws {
        let small = EmbeddingMatrix(rows: 40, dim: 4, values: (0..<160).map { Double($0 % 7) })
        #expect(throws: MetricError.self) { try diversity(small, pairs: 300, seed: 0) }
        let metrics = try EmbeddingMetrics(texts: small, motions: small, groundTruth: nil, seed: 0)
        #expect(metrics.diversity == nil && metrics.fid == nil)
        #expect(metrics.diversityNote?.contains("diversity") == true)
        #expect(throws: MetricError.self) { try MatchingScores(texts: small.rows(0..<10), motions: small.rows(0..<10)) }
    }
}
