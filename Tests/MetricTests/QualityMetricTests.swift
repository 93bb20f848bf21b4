import Foundation
@testable import IRGMetrics
import IRGMotion
import Testing

/// MBench quality against Scripts/reference/mbench_reference.py (NumPy, float64)
/// on real clips and altered copies that engage penetration, every floating
/// check and jitter: within 1e-5 relative (absolute below 1e-9).
@Suite struct QualityMetricTests {
    static func joints(_ name: String, path: String?) throws -> ZUpJoints {
        let url: URL
        if let path {
            var dir = URL(fileURLWithPath: #filePath)
            dir.deleteLastPathComponent()
            url = dir.deletingLastPathComponent().appendingPathComponent("MotionTests/Fixtures/\(path)")
        } else {
            url = MetricFixtures.url("quality/\(name).npy")
        }
        let array = try NPYArray.read(url)
        return try ZUpJoints(yUp: array.floats(), frames: array.shape[0], joints: array.shape[1])
    }

    @Test func matchesTheReference() throws {
        let expected = try MetricFixtures.json("quality/expected.json")
        var worst = 0.0
        for (name, value) in expected.sorted(by: { $0.key < $1.key }) {
            let want = value as! [String: Any]
            let quality = try MotionQuality(Self.joints(name, path: want["path"] as? String))
            let got = ["jitter": quality.jitter, "dynamic": quality.dynamic, "foot_sliding": quality.footSliding,
                       "ground_penetration": quality.groundPenetration, "foot_floating": quality.footFloating]
            for (metric, value) in got {
                let reference = want[metric] as! Double
                let error = abs(reference) < 1e-9 ? abs(value) : MetricFixtures.relativeError(value, reference)
                worst = max(worst, error)
                #expect(error <= 1e-5, "\(name) \(metric): \(value) vs \(reference)")
            }
        }
        print("quality: worst relative error \(worst)")
    }

    @Test func axisConventionIsExplicit() throws {
        // One Y-up point (1, 2, 3) becomes Z-up (-1, 3, 2): height is the old Y.
        var values = [Float](repeating: 0, count: 3 * 22 * 3)
        values[0...2] = [1, 2, 3]
        let motion = try ZUpJoints(yUp: values, frames: 3, joints: 22)
        #expect(motion[0, 0] == SIMD3(-1, 3, 2))
    }

    @Test func badInputIsAClearError() {
        #expect(throws: MetricError.self) { try ZUpJoints(yUp: [0, 0, 0], frames: 1, joints: 22) }
        #expect(throws: MetricError.self) { try ZUpJoints(yUp: [Float](repeating: 0, count: 2 * 5 * 3), frames: 2, joints: 5) }
        #expect(throws: MetricError.self) { try MotionQuality(ZUpJoints(yUp: [Float](repeating: 0, count: 2 * 22 * 3), frames: 2, joints: 22)) }
        #expect(throws: MetricError.self) { try ZUpJoints(yUp: [Float](repeating: .nan, count: 3 * 22 * 3), frames: 3, joints: 22) }
    }

    @Test func peaksFollowScipy() {
        #expect(FootFloating.localMaxima([0, 1, 0, 2, 2, 0, 1, 1]) == 2)  // a flat top counts; an open edge does not
        #expect(FootFloating.localMaxima([1, 1, 1]) == 0)
        #expect(FootFloating.localMaxima([0, 3, 1, 3, 1, 3, 0]) == 3)
    }
}
