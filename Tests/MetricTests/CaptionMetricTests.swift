import Foundation
@testable import IRGMetrics
import Testing

/// BLEU, ROUGE-L and CIDEr-D against pycocoevalcap
/// (Scripts/reference/make_caption_fixtures.py) on 84 captions: within 1e-4.
@Suite struct CaptionMetricTests {
    @Test func matchesPycocoevalcap() throws {
        let predictions = try CaptionFiles.predictions(MetricFixtures.url("captions/pred.txt"))
        let references = try CaptionFiles.references(MetricFixtures.url("captions/refs.json"))
        #expect(predictions.count == 84 && predictions[81] == "")
        let metrics = try CaptionMetrics(predictions: predictions, references: references)
        let expected = try MetricFixtures.json("captions/expected.json")
        let want = expected["bleu"] as! [Double]
        var errors = (0..<4).map { ("bleu\($0 + 1)", abs(metrics.bleu[$0] - want[$0])) }
        errors.append(("rouge_l", abs(metrics.rougeL - (expected["rouge_l"] as! Double))))
        errors.append(("cider", abs(metrics.cider - (expected["cider"] as! Double))))
        print("captions: absolute errors \(errors)")
        for (metric, error) in errors { #expect(error <= 1e-4, "\(metric): error \(error)") }
    }

    @Test func tokensFollowTheContract() {
        #expect(captionTokens("A PERSON walks -- forward,then\tturns LEFT!!!") == ["a", "person", "walks", "forward", "then", "turns", "left"])
        #expect(captionTokens("über 2x") == ["über", "2x"])
        #expect(captionTokens(" ... ").isEmpty)
    }

    @Test func mismatchedInputsAreClearErrors() {
        #expect(throws: MetricError.self) { try CaptionMetrics(predictions: ["a"], references: []) }
        #expect(throws: MetricError.self) { try CaptionMetrics(predictions: ["a"], references: [[]]) }
        #expect(throws: MetricError.self) { try CaptionMetrics(predictions: [], references: []) }
    }
}
