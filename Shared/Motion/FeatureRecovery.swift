import Foundation

/// From features back to joints: `recover_root_rot_pos` and `recover_from_ric`.
public enum FeatureRecovery {
    /// Per frame: the root's yaw rotation and position. The yaw angle is the
    /// running sum of dim 0 (accumulated in double, as torch.cumsum on CPU).
    public static func rootRotationAndPosition(_ f: MotionFeatures) -> ([Quaternion], [SIMD3<Float>]) {
        var angle = 0.0
        var rotations: [Quaternion] = []
        rotations.reserveCapacity(f.frames)
        for t in 0..<f.frames {
            if t > 0 { angle += Double(f.values[(t - 1) * f.dim]) }
            rotations.append(.yaw(Float(angle)))
        }
        var x = 0.0, z = 0.0
        var positions: [SIMD3<Float>] = []
        positions.reserveCapacity(f.frames)
        for t in 0..<f.frames {
            if t > 0 {
                let step = rotations[t].inverse.rotate(SIMD3(f.values[(t - 1) * f.dim + 1], 0, f.values[(t - 1) * f.dim + 2]))
                x += Double(step.x)
                z += Double(step.z)
            }
            positions.append(SIMD3(Float(x), f.values[t * f.dim + 3], Float(z)))
        }
        return (rotations, positions)
    }

    /// Joint positions (T, J, 3) from the rotation-invariant positions.
    public static func joints(_ f: MotionFeatures, jointCount J: Int) throws -> JointPositions {
        guard f.dim >= 4 + (J - 1) * 3 else {
            throw MotionError.badShape("\(f.dim)-dim features cannot hold \(J) joints")
        }
        let (rotations, roots) = rootRotationAndPosition(f)
        var out = [Float](repeating: 0, count: f.frames * J * 3)
        f.values.withUnsafeBufferPointer { features in
            out.withUnsafeMutableBufferPointer { joints in
                for t in 0..<f.frames {
                    let unturn = rotations[t].inverse, root = roots[t]
                    let row = features.baseAddress! + t * f.dim + 4
                    let pose = joints.baseAddress! + t * J * 3
                    (pose[0], pose[1], pose[2]) = (root.x, root.y, root.z)
                    for j in 1..<J {
                        let ric = row + (j - 1) * 3
                        var p = unturn.rotateAboutY(SIMD3(ric[0], ric[1], ric[2]))
                        p.x += root.x
                        p.z += root.z
                        (pose[j * 3], pose[j * 3 + 1], pose[j * 3 + 2]) = (p.x, p.y, p.z)
                    }
                }
            }
        }
        return JointPositions(frames: f.frames, joints: J, values: out)
    }
}
