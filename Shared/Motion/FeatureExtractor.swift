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

        let dim = skeleton.featureDim
        var out = [Float](repeating: 0, count: (T - 1) * dim)
        out.withUnsafeMutableBufferPointer { buffer in
            for t in 0..<(T - 1) {
                var row = FeatureRow(buffer.baseAddress! + t * dim)
                let root = rotations[t * J], next = rotations[(t + 1) * J]
                // Root: yaw velocity (arcsin of y, half the angle), xz velocity in the root frame, height.
                let yawVelocity = next * root.inverse
                let velocity = next.rotate(global[t + 1, 0] - global[t, 0])
                let origin = global[t, 0]
                let height = root.rotate(SIMD3(0, origin.y, 0)).y
                row.append(asin(yawVelocity.y))
                row.append(velocity.x)
                row.append(velocity.z)
                row.append(height)
                // ric: joints relative to the root's xz, turned by the root rotation (get_rifke).
                for j in 1..<J {
                    let p = global[t, j]
                    row.append(root.rotate(SIMD3(p.x - origin.x, p.y, p.z - origin.z)))
                }
                for j in 1..<J {
                    rotations[t * J + j].writeContinuous6D(to: row.cursor)
                    row.skip(6)
                }
                for j in 0..<J { row.append(root.rotate(global[t + 1, j] - global[t, j])) }
                for foot in skeleton.leftFoot { row.append(contact(global, frame: t, joint: foot)) }
                for foot in skeleton.rightFoot { row.append(contact(global, frame: t, joint: foot)) }
            }
        }
        return MotionFeatures(frames: T - 1, dim: dim, values: out)
    }

    /// Scales the clip to the target skeleton: IK on the input, FK with the
    /// target's bone offsets, root path scaled by the leg-length ratio.
    private func uniformSkeleton(_ input: JointPositions, _ kinematics: Kinematics) -> [SIMD3<Double>] {
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
    private func putOnFloorAtOrigin(_ world: inout [SIMD3<Double>]) {
        let floor = world.lazy.map(\.y).min()!
        let shift = SIMD3<Double>(world[0].x, floor, world[0].z)
        for i in world.indices { world[i] -= shift }
    }

    /// Rotates the whole clip about Y so that frame 0 faces +Z.
    /// Here the hips enter as p[2] - p[1], unlike inside IK.
    private func faceForward(_ world: [SIMD3<Double>]) -> JointPositions {
        let (rHip, lHip, sdrR, sdrL) = skeleton.faceJoints
        let pose = world
        var across = (pose[rHip] - pose[lHip]) + (pose[sdrR] - pose[sdrL])
        across /= (across * across).sum().squareRoot()
        var forward = SIMD3<Double>(across.z, 0, -across.x)
        forward /= (forward * forward).sum().squareRoot()
        let turn = Quaternion.between(SIMD3(Float(forward.x), Float(forward.y), Float(forward.z)), SIMD3(0, 0, 1))
        let J = skeleton.jointCount
        var out = JointPositions(frames: world.count / J, joints: J)
        for i in world.indices {
            let p = world[i]
            out[i / J, i % J] = turn.rotate(SIMD3(Float(p.x), Float(p.y), Float(p.z)))
        }
        return out
    }

    /// 1 where a foot joint moves less than the threshold (squared) to the next frame.
    private func contact(_ global: JointPositions, frame t: Int, joint j: Int) -> Float {
        let d = global[t + 1, j] - global[t, j]
        return d.x * d.x + d.y * d.y + d.z * d.z < feetThreshold ? 1 : 0
    }
}

/// Writes one feature row in place, left to right.
struct FeatureRow {
    private(set) var cursor: UnsafeMutablePointer<Float>

    init(_ start: UnsafeMutablePointer<Float>) { cursor = start }

    mutating func append(_ v: Float) {
        cursor.pointee = v
        cursor += 1
    }

    mutating func append(_ v: SIMD3<Float>) {
        (cursor[0], cursor[1], cursor[2]) = (v.x, v.y, v.z)
        cursor += 3
    }

    mutating func skip(_ n: Int) { cursor += n }
}
