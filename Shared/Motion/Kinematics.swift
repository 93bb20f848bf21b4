import Foundation

/// Inverse and forward kinematics over a `Skeleton`, as HumanML3D's
/// `Skeleton.inverse_kinematics_np` / `forward_kinematics_np` compute them,
/// quirks included (see REFERENCE-NOTES section 1).
public struct Kinematics: Sendable {
    public let skeleton: Skeleton

    /// One bone of a chain: `from` -> `to`; `first` marks a chain's first bone,
    /// where the accumulated rotation restarts from the root's.
    struct Bone { let from: Int, to: Int, first: Bool }

    /// Every chain's bones in order, flat, so the per-frame loops touch no nested arrays.
    let bones: [Bone]

    public init(_ skeleton: Skeleton) {
        self.skeleton = skeleton
        bones = skeleton.kinematicChains.flatMap { chain in
            (1..<chain.count).map { Bone(from: chain[$0 - 1], to: chain[$0], first: $0 == 1) }
        }
    }

    /// Bone vectors of one pose: raw direction times the bone's length.
    public func offsets(of pose: [SIMD3<Float>]) -> [SIMD3<Float>] {
        var out = skeleton.rawOffsets
        for j in 1..<skeleton.jointCount {
            let bone = pose[j] - pose[skeleton.parents[j]]
            out[j] = (bone * bone).sum().squareRoot() * skeleton.rawOffsets[j]
        }
        return out
    }

    /// The direction the body faces in each frame, horizontal and unit length,
    /// in Double (NumPy promotes the cross product with an int array).
    /// Quirk kept from upstream: the face joints are unpacked as
    /// (l_hip, r_hip, sdr_r, sdr_l), so the hip term's sign is opposite the shoulders'.
    func forwardDirections(_ joints: JointPositions, smooth: Bool) -> [SIMD3<Double>] {
        let (lHip, rHip, sdrR, sdrL) = skeleton.faceJoints
        var forward = (0..<joints.frames).map { t -> SIMD3<Double> in
            var across = (joints[t, rHip] - joints[t, lHip]) + (joints[t, sdrR] - joints[t, sdrL])
            across = across / (across * across).sum().squareRoot()
            // cross((0, 1, 0), across)
            return SIMD3(Double(across.z), 0, -Double(across.x))
        }
        if smooth {
            let xs = GaussianFilter.smooth(forward.map(\.x), sigma: 20)
            let zs = GaussianFilter.smooth(forward.map(\.z), sigma: 20)
            forward = (0..<forward.count).map { SIMD3(xs[$0], 0, zs[$0]) }
        }
        return forward.map { $0 / ($0 * $0).sum().squareRoot() }
    }

    /// Local joint rotations, flat (frames x joints). The root rotation
    /// turns the facing direction to +Z, except frame 0's, which is forced
    /// to identity (upstream quirk). Every chain starts from the root
    /// rotation, including the arms that branch at joint 9.
    public func inverse(_ joints: JointPositions, smoothForward: Bool) -> [Quaternion] {
        let forward = forwardDirections(joints, smooth: smoothForward)
        let target = SIMD3<Float>(0, 0, 1)
        let J = skeleton.jointCount
        var rotations = [Quaternion](repeating: .identity, count: joints.frames * J)
        rotations.withUnsafeMutableBufferPointer { out in
            for t in 0..<joints.frames {
                let f = SIMD3<Float>(Float(forward[t].x), Float(forward[t].y), Float(forward[t].z))
                let root = t == 0 ? Quaternion.identity : Quaternion.between(f, target)
                out[t * J] = root
                var r = root
                for bone in bones {
                    if bone.first { r = root }
                    var v = joints[t, bone.to] - joints[t, bone.from]
                    v = v / (v * v).sum().squareRoot()
                    let local = r.inverse * Quaternion.between(skeleton.rawOffsets[bone.to], v)
                    out[t * J + bone.to] = local
                    r = r * local
                }
            }
        }
        return rotations
    }

    /// Joint positions (flat, frames x joints) from local rotations (flat),
    /// bone offsets and root positions. Positions accumulate in Double as
    /// NumPy's float64 array does.
    public func forward(_ rotations: [Quaternion], offsets: [SIMD3<Float>],
                        rootPositions: [SIMD3<Float>]) -> [SIMD3<Double>] {
        let J = skeleton.jointCount
        var poses = [SIMD3<Double>](repeating: .zero, count: rootPositions.count * J)
        poses.withUnsafeMutableBufferPointer { pose in
            for t in rootPositions.indices {
                let root = rootPositions[t], base = t * J
                pose[base] = SIMD3(Double(root.x), Double(root.y), Double(root.z))
                var r = rotations[base]
                for bone in bones {
                    if bone.first { r = rotations[base] }
                    r = r * rotations[base + bone.to]
                    let v = r.rotate(offsets[bone.to])
                    pose[base + bone.to] = SIMD3(Double(v.x), Double(v.y), Double(v.z)) + pose[base + bone.from]
                }
            }
        }
        return poses
    }
}
