import Foundation
import IRGAssessment
import IRGModels
import IRGMotion
import Testing

/// The assessor's terms and rewards against IRG's reward code path in PyTorch
/// (Scripts/reference/make_assessor_fixtures.py) on the small evaluator.
@Suite struct AssessorFidelityTests {
    static let tests: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let evaluator = tests.appendingPathComponent("ModelTests/Fixtures/evaluator/small_f32")

    struct Fixture {
        let inputs: [AssessmentInput]
        let expected: [[String: Any]]
    }

    static func fixture() throws -> Fixture {
        let url = Bundle.module.url(forResource: "assessor", withExtension: "json", subdirectory: "Fixtures")!
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let clips = json["clips"] as! [String: [String: Any]]
        func clip(_ name: String) throws -> MotionFeatures {
            let file = clips[name]!["file"] as! String
            let all = try MotionFeatures(NPYArray.read(tests.appendingPathComponent("MotionTests/Fixtures/\(file)")), dim: 263)
            guard let frames = clips[name]!["frames"] as? Int else { return all }
            let tiled = (0..<frames).flatMap { t in all.values[(t % all.frames) * 263 ..< (t % all.frames + 1) * 263] }
            return MotionFeatures(frames: frames, dim: 263, values: tiled)
        }
        let inputs = try (json["items"] as! [[String: Any]]).map { item -> AssessmentInput in
            var input = AssessmentInput(text: item["text"] as! String, candidate: try (item["candidate"] as? String).map(clip))
            input.reference = try (item["reference"] as? String).map(clip)
            input.transcript = item["transcript"] as? String
            input.group = item["group"] as! String
            return input
        }
        return Fixture(inputs: inputs, expected: json["expected"] as! [[String: Any]])
    }

    @Test(arguments: ["NONE", "MIN_MAX"])
    func termsAndRewardsMatchPyTorch(normalization: String) throws {
        let fixture = try Self.fixture()
        let assessor = MotionAssessor(evaluator: try EvaluatorCheckpoint(Self.evaluator))
        let results = try assessor.assess(fixture.inputs, normalization: normalization == "NONE" ? .none : .minMax)
        var worst = 0.0
        for (i, (result, want)) in zip(results, fixture.expected).enumerated() {
            let got = try result.get()
            let terms: [(String, Double?)] = [("alignment", got.alignment), ("matching_distance", got.matchingDistance),
                                              ("tm_distance", got.tmDistance), ("similarity", got.similarity),
                                              ("mm_distance", got.mmDistance), ("format", got.format)]
            for (name, value) in terms {
                let expected = want[name] as? Double
                #expect((value == nil) == (expected == nil), "item \(i) \(name): \(String(describing: value)) vs \(String(describing: expected))")
                if let value, let expected { worst = max(worst, abs(value - expected)) }
            }
            let summed = want["summed_\(normalization)"] as! [String: Double]
            #expect(Set(got.summed.keys.map(\.rawValue)) == Set(summed.keys), "item \(i)")
            for (name, value) in summed { worst = max(worst, abs(got.summed[RewardTerm(rawValue: name)!]! - value)) }
            worst = max(worst, abs(got.reward - (want["reward_\(normalization)"] as! Double)))
        }
        #expect(worst <= 1e-4, "largest error \(worst)")
        print("assessor fidelity \(normalization): largest term error \(worst)")
    }
}
