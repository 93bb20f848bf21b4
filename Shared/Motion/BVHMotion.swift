import Foundation

extension BVHFile {
    /// World positions of every joint (End Sites included) per frame, in
    /// the file's units. Position channels replace the joint's OFFSET;
    /// rotation channels apply in the listed order ("Zrotation Xrotation
    /// Yrotation" gives R = Rz Rx Ry); every ancestor's motion applies.
    public func worldPositions() -> [[SIMD3<Double>]] {
        frames.map { values in
            var world = [SIMD3<Double>](repeating: .zero, count: joints.count)
            var rotation = [Rotation3](repeating: .identity, count: joints.count)
            var column = 0
            for (j, joint) in joints.enumerated() {
                var translation = joint.offset
                var local = Rotation3.identity
                for channel in joint.channels {
                    let v = values[column]
                    column += 1
                    switch channel {
                    case .xPosition: translation.x = v
                    case .yPosition: translation.y = v
                    case .zPosition: translation.z = v
                    case .xRotation: local = local * .about(axis: 0, degrees: v)
                    case .yRotation: local = local * .about(axis: 1, degrees: v)
                    case .zRotation: local = local * .about(axis: 2, degrees: v)
                    }
                }
                if joint.parent < 0 {
                    world[j] = translation
                    rotation[j] = local
                } else {
                    world[j] = world[joint.parent] + rotation[joint.parent] * translation
                    rotation[j] = rotation[joint.parent] * local
                }
            }
            return world
        }
    }
}
