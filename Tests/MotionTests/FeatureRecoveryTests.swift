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
