import Foundation
@testable import IRGMotion
import Testing

/// Swift's process_file against the independent NumPy reference
/// (Scripts/reference/make_motion_fixtures.py), group by group.
@Suite struct FeatureFidelityTests {
    /// The 263 dims: root yaw velocity, root xz velocity, root height, ric,
    /// 6D rotations, local velocities, foot contacts.
    static let groups: [(String, Range<Int>, Float)] = [
        ("root_rot_velocity", 0..<1, 1e-4), ("root_linear_velocity", 1..<3, 1e-4), ("root_y", 3..<4, 1e-4),
        ("ric", 4..<67, 1e-4), ("rot_6d", 67..<193, 1e-3), ("local_velocity", 193..<259, 1e-4),
        ("foot_contact", 259..<263, 0),
    ]

    static let clips = ["012314", "dataset-1_walk_normal_002", "dataset-1_run_normal_001", "dataset-1_byebye_angry_001"]

    static func input(_ clip: String) throws -> JointPositions {
        let name = clip == "012314" ? "humanml3d/012314_joints.npy" : "reference/\(clip)_joints.npy"
        return try JointPositions(FixtureData.npy(name))
    }

    @Test(arguments: clips)
    func featuresMatchTheReferencePerGroup(clip: String) throws {
        let expected = try MotionFeatures(FixtureData.npy("reference/\(clip)_features.npy"), dim: 263)
        let features = try FeatureExtractor().features(try Self.input(clip))
        #expect(features.frames == expected.frames)
        var report: [String] = []
        for (name, range, tolerance) in Self.groups {
            var error: Float = 0
            for t in 0..<features.frames {
                for d in range { error = max(error, abs(features.values[t * 263 + d] - expected.values[t * 263 + d])) }
            }
            report.append("\(name) \(error)")
            #expect(error <= tolerance, "\(clip) \(name): max abs error \(error) > \(tolerance)")
        }
        print("features \(clip): " + report.joined(separator: ", "))
    }

    /// KIT-21 (251 dims, millimetres) on a KIT-topology walk, against the reference.
    @Test func kitFeaturesMatchTheReference() throws {
        let joints = try JointPositions(FixtureData.npy("reference/kit_walk_joints.npy"))
        let expected = try MotionFeatures(FixtureData.npy("reference/kit_walk_features.npy"), dim: 251)
        let target = FeatureExtractor.offsets(ofPose: (0..<21).map { joints[0, $0] }, skeleton: .kit)
        let features = try FeatureExtractor(skeleton: .kit, targetOffsets: target, feetThreshold: 0.05).features(joints)
        #expect(features.frames == expected.frames && features.dim == 251)
        let groups: [(String, Range<Int>, Float)] = [
            ("root", 0..<4, 1e-4 * 1000), ("ric", 4..<64, 1e-4 * 1000), ("rot_6d", 64..<184, 1e-3),
            ("local_velocity", 184..<247, 1e-4 * 1000), ("foot_contact", 247..<251, 0),
        ]
        var report: [String] = []
        for (name, range, tolerance) in groups {
            var error: Float = 0
            for t in 0..<features.frames {
                for d in range { error = max(error, abs(features.values[t * 251 + d] - expected.values[t * 251 + d])) }
            }
            report.append("\(name) \(error)")
            #expect(error <= tolerance, "kit \(name): \(error)")
        }
        print("features kit_walk (mm): " + report.joined(separator: ", "))
        // Recovery keeps the target skeleton's bone lengths.
        let recovered = try FeatureRecovery.joints(expected, jointCount: 21)
        let parents = Skeleton.kit.parents
        for j in 1..<21 {
            let want = (target[j] * target[j]).sum().squareRoot()
            let d = recovered[5, j] - recovered[5, parents[j]]
            #expect(abs((d * d).sum().squareRoot() - want) < 0.05, "KIT bone \(j)")
        }
    }

    @Test func badInputIsAClearError() {
        let extractor = FeatureExtractor()
        #expect(throws: MotionError.tooShort("features need at least 2 frames, got 1")) {
            try extractor.features(JointPositions(frames: 1, joints: 22))
        }
        #expect(throws: MotionError.badShape("humanml3d needs 22 joints, got 21")) {
            try extractor.features(JointPositions(frames: 5, joints: 21))
        }
        var nan = JointPositions(frames: 5, joints: 22)
        nan.values[7] = .nan
        #expect(throws: MotionError.notFinite("joint positions")) { try extractor.features(nan) }
    }
}
