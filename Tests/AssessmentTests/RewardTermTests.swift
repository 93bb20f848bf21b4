import Foundation
import IRGAssessment
import Testing

/// The model-free reward terms against Scripts/reference/make_reward_fixtures.py
/// (Python's `re` and IRG's normalisation formulas).
@Suite struct RewardTermTests {
    nonisolated(unsafe) static let fixtures: [String: Any] = {
        let url = Bundle.module.url(forResource: "rewards", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }()

    static var transcriptNames: [String] { (fixtures["transcripts"] as! [String: String]).keys.sorted() }

    @Test(arguments: transcriptNames)
    func strictFormatAgreesWithPythonsReSearch(_ name: String) {
        let text = (Self.fixtures["transcripts"] as! [String: String])[name]!
        let expected = (Self.fixtures["strict_format"] as! [String: Double])[name]!
        #expect(StrictFormat.reward(text) == expected)
    }

    @Test func processTerms() throws {
        for (name, value) in Self.fixtures["process"] as! [String: [String: Any]] {
            let terms = try #require(ProcessRewards(scores: value["scores"] as! [Double]))
            let got = ["first": terms.first, "last": terms.last, "best": terms.best, "mean": terms.mean,
                       "last_is_best": terms.lastIsBest, "ranking": terms.ranking]
            for (term, v) in got {
                #expect(abs(v - (value[term] as! Double)) <= 1e-12, "\(name): \(term)")
            }
        }
        #expect(ProcessRewards(scores: []) == nil)
    }

    @Test func groupNormalization() {
        for (name, value) in Self.fixtures["normalization"] as! [String: [String: [Double]]] {
            let values = value["values"]!
            #expect(GroupNormalization.none.apply(values) == values)
            for (mode, key) in [(GroupNormalization.minMax, "min_max"), (.zScore, "z_score")] {
                let got = mode.apply(values), want = value[key]!
                #expect(zip(got, want).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) }, "\(name): \(key)")
            }
        }
        #expect(GroupNormalization.minMax.apply([]) == [])
    }
}

/// Motion spans parsed as IRG parses generated motion.
@Suite struct TranscriptMotionTests {
    @Test func spansKeepCodesUpToTheCloseOrTheEnd() {
        let text = "a <Motion><Motion_1><Motion_2></Motion> b <Motion><Motion_3>x<Motion_4></Motion><Motion></Motion> <Motion><Motion_5><Motion_6"
        #expect(TranscriptMotions.spans(in: text) == [[1, 2], [3, 4], [5]])
        #expect(TranscriptMotions.spans(in: "no motion").isEmpty)
    }
}
