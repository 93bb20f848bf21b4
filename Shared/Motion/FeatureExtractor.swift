import Foundation

/// HumanML3D's `process_file`: joint positions -> (T-1, 263) features.
///
/// Steps, in order: uniform skeleton (scale by leg length, IK, FK with the
/// target bone offsets) -> put on the floor -> root of frame 0 to the origin
/// -> turn so frame 0 faces +Z -> foot contacts -> IK with the smoothed
/// facing direction -> root velocities -> rotation-invariant positions ->
/// concatenate. Where NumPy computes in float64 this does too; elsewhere
/// Float32, as the reference's torch helpers do.
public struct FeatureExtractor: Sendable {
    public let skeleton: Skeleton
    /// Bone vectors of the target skeleton every clip is scaled to.
    public let targetOffsets: [SIMD3<Float>]
    public let feetThreshold: Float

    public init(skeleton: Skeleton = .humanML3D, targetOffsets: [SIMD3<Float>]? = nil, feetThreshold: Float = 0.002) {
        self.skeleton = skeleton
        self.targetOffsets = targetOffsets ?? TargetSkeleton.humanML3DOffsets
        self.feetThreshold = feetThreshold
    }

    /// The target skeleton of a pose (e.g. frame 0 of a processed clip).
    public static func offsets(ofPose pose: [SIMD3<Float>], skeleton: Skeleton) -> [SIMD3<Float>] {
        Kinematics(skeleton).offsets(of: pose)
    }

    public func features(_ input: JointPositions) throws -> MotionFeatures {
        guard input.joints == skeleton.jointCount else {
            throw MotionError.badShape("\(skeleton.name) needs \(skeleton.jointCount) joints, got \(input.joints)")
        }
        guard input.frames >= 2 else { throw MotionError.tooShort("features need at least 2 frames, got \(input.frames)") }
        guard input.values.allSatisfy(\.isFinite) else { throw MotionError.notFinite("joint positions") }
        let kinematics = Kinematics(skeleton)
        let T = input.frames, J = skeleton.jointCount

        var world = uniformSkeleton(input, kinematics)
        putOnFloorAtOrigin(&world)
        let global = faceForward(world)

        let rotations = kinematics.inverse(global, smoothForward: true)
        let rootRotation = rotations.map { $0[0] }

        let dim = skeleton.featureDim
        var out = [Float](repeating: 0, count: (T - 1) * dim)
        for t in 0..<(T - 1) {
            var row = [Float]()
            row.reserveCapacity(dim)
            // Root: yaw velocity (arcsin of the y component, half the angle), xz velocity, height.
            let yawVelocity = rootRotation[t + 1] * rootRotation[t].inverse
            let velocity = rootRotation[t + 1].rotate(global[t + 1, 0] - global[t, 0])
            let local = rotationInvariant(global, frame: t, rootRotation[t])
            row += [asin(yawVelocity.y), velocity.x, velocity.z, local[0].y]
            for j in 1..<J { row += [local[j].x, local[j].y, local[j].z] }
            for j in 1..<J { row += rotations[t][j].continuous6D }
            for j in 0..<J {
                let v = rootRotation[t].rotate(global[t + 1, j] - global[t, j])
                row += [v.x, v.y, v.z]
            }
            row += footContacts(global, frame: t, skeleton.leftFoot) + footContacts(global, frame: t, skeleton.rightFoot)
            out.replaceSubrange(t * dim..<(t + 1) * dim, with: row)
        }
        return MotionFeatures(frames: T - 1, dim: dim, values: out)
    }

    /// Scales the clip to the target skeleton: IK on the input, FK with the
    /// target's bone offsets, root path scaled by the leg-length ratio.
    private func uniformSkeleton(_ input: JointPositions, _ kinematics: Kinematics) -> [[SIMD3<Double>]] {
        let sourceOffsets = kinematics.offsets(of: (0..<input.joints).map { input[0, $0] })
        func legLength(_ offsets: [SIMD3<Float>]) -> Float {
            func largest(_ v: SIMD3<Float>) -> Float { max(abs(v.x), abs(v.y), abs(v.z)) }
            return largest(offsets[skeleton.legJoints.0]) + largest(offsets[skeleton.legJoints.1])
        }
        let scale = legLength(targetOffsets) / legLength(sourceOffsets)
        let roots = (0..<input.frames).map { input[$0, 0] * scale }
        let rotations = kinematics.inverse(input, smoothForward: false)
        return kinematics.forward(rotations, offsets: targetOffsets, rootPositions: roots)
    }

    /// Lowest joint to height 0, frame 0's root to x = z = 0 (float64, as NumPy).
    private func putOnFloorAtOrigin(_ world: inout [[SIMD3<Double>]]) {
        let floor = world.flatMap { $0 }.map(\.y).min()!
        let root = world[0][0]
        let shift = SIMD3<Double>(root.x, floor, root.z)
        world = world.map { pose in pose.map { $0 - shift } }
    }

    /// Rotates the whole clip about Y so that frame 0 faces +Z.
    /// Here the hips enter as p[2] - p[1], unlike inside IK.
    private func faceForward(_ world: [[SIMD3<Double>]]) -> JointPositions {
        let (rHip, lHip, sdrR, sdrL) = skeleton.faceJoints
        let pose = world[0]
        var across = (pose[rHip] - pose[lHip]) + (pose[sdrR] - pose[sdrL])
        across /= (across * across).sum().squareRoot()
        var forward = SIMD3<Double>(across.z, 0, -across.x)
        forward /= (forward * forward).sum().squareRoot()
        let turn = Quaternion.between(SIMD3(Float(forward.x), Float(forward.y), Float(forward.z)), SIMD3(0, 0, 1))
        var out = JointPositions(frames: world.count, joints: skeleton.jointCount)
        for t in world.indices {
            for j in 0..<skeleton.jointCount {
                let p = world[t][j]
                out[t, j] = turn.rotate(SIMD3(Float(p.x), Float(p.y), Float(p.z)))
            }
        }
        return out
    }

    /// Joints relative to the root's xz, turned by the root rotation (get_rifke).
    private func rotationInvariant(_ global: JointPositions, frame t: Int, _ root: Quaternion) -> [SIMD3<Float>] {
        let origin = global[t, 0]
        return (0..<skeleton.jointCount).map { j in
            let p = global[t, j]
            return root.rotate(SIMD3(p.x - origin.x, p.y, p.z - origin.z))
        }
    }

    /// 1 where a foot joint moves less than the threshold (squared) to the next frame.
    private func footContacts(_ global: JointPositions, frame t: Int, _ joints: [Int]) -> [Float] {
        joints.map { j in
            let d = global[t + 1, j] - global[t, j]
            return d.x * d.x + d.y * d.y + d.z * d.z < feetThreshold ? 1 : 0
        }
    }
}
