import Foundation
@testable import IRGMotion
import Testing

@Suite struct FeatureRecoveryTests {
    /// The samples' new_joints are exactly recover_from_ric(new_joint_vecs).
    @Test func recoversTheRealHumanML3DJoints() throws {
        let features = try MotionFeatures(FixtureData.npy("humanml3d/012314_vecs.npy"), dim: 263)
        let expected = try JointPositions(FixtureData.npy("humanml3d/012314_joints.npy"))
        let joints = try FeatureRecovery.joints(features, jointCount: 22)
        let error = zip(joints.values, expected.values).map { abs($0 - $1) }.max()!
        print("recover_from_ric 012314: max abs error \(error) m")
        #expect(error <= 1e-5)
    }

    @Test func recoversClip000000WhenSharedDataIsThere() throws {
        guard let shared = FixtureData.sharedData else {
            print("skipped: ../shared/data is absent (clip 000000 is not committed)")
            return
        }
        let samples = shared.appendingPathComponent("humanml3d-samples")
        let features = try MotionFeatures(NPYArray.read(samples.appendingPathComponent("new_joint_vecs/000000.npy")), dim: 263)
        let expected = try JointPositions(NPYArray.read(samples.appendingPathComponent("new_joints/000000.npy")))
        let joints = try FeatureRecovery.joints(features, jointCount: 22)
        let error = zip(joints.values, expected.values).map { abs($0 - $1) }.max()!
        print("recover_from_ric 000000: max abs error \(error) m")
        #expect(error <= 1e-5)
    }
}

@Suite struct NormalizationTests {
    @Test func roundTripsWithTheRealHumanML3DStatistics() throws {
        let norm = try Normalization(meanFile: FixtureData.url("humanml3d/Mean.npy"), stdFile: FixtureData.url("humanml3d/Std.npy"))
        let features = try MotionFeatures(FixtureData.npy("humanml3d/012314_vecs.npy"), dim: 263)
        let normalized = try norm.normalize(features)
        // Root height (dim 3) is near the dataset mean, so it normalises to about 0.
        #expect(abs(normalized.values[3]) < 3)
        let back = try norm.denormalize(normalized)
        #expect(zip(back.values, features.values).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
        #expect(throws: MotionError.self) { try Normalization(mean: [0, 0], std: [1, 0]) }
        #expect(throws: MotionError.self) { try norm.normalize(MotionFeatures(frames: 1, dim: 251, values: .init(repeating: 0, count: 251))) }
    }
}
