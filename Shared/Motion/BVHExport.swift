import Foundation

/// Writes SMPL-22 joint positions as a BVH file that Blender and other BVH
/// tools open: the SMPL hierarchy with frame 0's bones as OFFSETs, in
/// centimetres (BVH's usual unit; import with scale 0.01).
///
/// Every joint carries position channels as well as rotations: positions
/// make re-import exact even where mocap bone lengths vary, and rotations
/// (Z X Y) turn each bone toward its first child so the bones point the
/// right way in a viewer.
public enum BVHExport {
    public static func bvh(_ motion: JointPositions, fps: Double = 20) -> String {
        let skeleton = Skeleton.humanML3D
        precondition(motion.joints == skeleton.jointCount, "export-bvh writes SMPL-22 motion")
        let children = (0..<skeleton.jointCount).map { j in
            skeleton.kinematicChains.flatMap { chain in zip(chain, chain.dropFirst()).filter { $0.0 == j }.map(\.1) }
        }
        let centimetres = { (t: Int, j: Int) -> SIMD3<Double> in
            let p = motion[t, j]
            return SIMD3(Double(p.x), Double(p.y), Double(p.z)) * 100
        }
        let rest = (0..<skeleton.jointCount).map { j in
            j == 0 ? SIMD3<Double>.zero : centimetres(0, j) - centimetres(0, skeleton.parents[j])
        }

        var text = "HIERARCHY\n"
        func writeJoint(_ j: Int, depth: Int) {
            let pad = String(repeating: "  ", count: depth)
            text += "\(pad)\(j == 0 ? "ROOT" : "JOINT") \(skeleton.jointNames[j])\n\(pad){\n"
            text += "\(pad)  OFFSET \(format(rest[j]))\n"
            text += "\(pad)  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation\n"
            for child in children[j] { writeJoint(child, depth: depth + 1) }
            if children[j].isEmpty {
                // End Site: a short stub along the last bone, so viewers can draw it.
                text += "\(pad)  End Site\n\(pad)  {\n\(pad)    OFFSET \(format(rest[j] * 0.25))\n\(pad)  }\n"
            }
            text += "\(pad)}\n"
        }
        writeJoint(0, depth: 0)
        text += "MOTION\nFrames: \(motion.frames)\nFrame Time: \(String(format: "%.8f", 1 / fps))\n"
        for t in 0..<motion.frames {
            var world = [Rotation3](repeating: .identity, count: skeleton.jointCount)
            var values: [String] = []
            for j in hierarchyOrder(children) {
                let parent = skeleton.parents[j]
                let parentWorld = parent < 0 ? Rotation3.identity : world[parent]
                let position = parent < 0 ? centimetres(t, 0) : centimetres(t, j) - centimetres(t, parent)
                world[j] = children[j].first.map { child in
                    Rotation3.between(unit(rest[child]), unit(centimetres(t, child) - centimetres(t, j)))
                } ?? parentWorld
                let local = parentWorld.transposed * world[j]
                let translation = parentWorld.transposed * position
                let euler = local.zxyDegrees
                values.append("\(format(translation)) \(format(euler))")
            }
            text += values.joined(separator: " ") + "\n"
        }
        return text
    }

    /// Depth-first order of the hierarchy, as the joints appear in the file.
    private static func hierarchyOrder(_ children: [[Int]]) -> [Int] {
        var order: [Int] = []
        func visit(_ j: Int) {
            order.append(j)
            children[j].forEach(visit)
        }
        visit(0)
        return order
    }

    private static func unit(_ v: SIMD3<Double>) -> SIMD3<Double> {
        let n = (v * v).sum().squareRoot()
        return n > 1e-12 ? v / n : SIMD3(0, 1, 0)
    }

    private static func format(_ v: SIMD3<Double>) -> String {
        String(format: "%.6f %.6f %.6f", v.x, v.y, v.z)
    }
}
