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
        var out = JointPositions(frames: f.frames, joints: J)
        for t in 0..<f.frames {
            let unturn = rotations[t].inverse
            out[t, 0] = roots[t]
            for j in 1..<J {
                let i = t * f.dim + 4 + (j - 1) * 3
                var p = unturn.rotate(SIMD3(f.values[i], f.values[i + 1], f.values[i + 2]))
                p.x += roots[t].x
                p.z += roots[t].z
                out[t, j] = p
            }
        }
        return out
    }
}
