/// Where each of the 22 SMPL joints comes from in a source skeleton.
public struct JointMapping: Sendable {
    public enum Source: Sendable, Equatable {
        case joint(String)
        case midpoint(String, String)

        var names: [String] {
            switch self {
            case .joint(let a): return [a]
            case .midpoint(let a, let b): return [a, b]
            }
        }
    }

    public let name: String
    /// 22 entries, in SMPL joint order (`Skeleton.humanML3D.jointNames`).
    public let sources: [Source]

    public var requiredNames: Set<String> { Set(sources.flatMap(\.names)) }

    /// Bandai-Namco (shared/data/README.md): Hips->pelvis, Spine->spine1,
    /// spine2 halfway between Spine and Chest, Chest->spine3, Shoulder->collar,
    /// UpperArm->shoulder, LowerArm->elbow, Hand->wrist, UpperLeg->hip,
    /// LowerLeg->knee, Foot->ankle, Toes->foot. `_L`/`_R` are the character's own.
    public static let bandaiNamco = JointMapping(name: "bandai-namco", sources: [
        .joint("Hips"), .joint("UpperLeg_L"), .joint("UpperLeg_R"), .joint("Spine"), .joint("LowerLeg_L"),
        .joint("LowerLeg_R"), .midpoint("Spine", "Chest"), .joint("Foot_L"), .joint("Foot_R"), .joint("Chest"),
        .joint("Toes_L"), .joint("Toes_R"), .joint("Neck"), .joint("Shoulder_L"), .joint("Shoulder_R"),
        .joint("Head"), .joint("UpperArm_L"), .joint("UpperArm_R"), .joint("LowerArm_L"), .joint("LowerArm_R"),
        .joint("Hand_L"), .joint("Hand_R"),
    ])

    /// SMPL-22's own joint names, as `irg motion export-bvh` writes them.
    public static let smpl = JointMapping(name: "smpl", sources: Skeleton.humanML3D.jointNames.map { .joint($0) })

    public static let builtIn: [JointMapping] = [smpl, bandaiNamco]

    /// The built-in mapping all of whose joints `names` has; otherwise an
    /// error naming what the closest mapping misses.
    public static func detect(in names: Set<String>) throws -> JointMapping {
        if let match = builtIn.first(where: { $0.requiredNames.isSubset(of: names) }) { return match }
        let closest = builtIn.min { $0.requiredNames.subtracting(names).count < $1.requiredNames.subtracting(names).count }!
        let missing = closest.requiredNames.subtracting(names).sorted().joined(separator: ", ")
        throw MotionError.unknownJoint("no built-in skeleton mapping fits; closest (\(closest.name)) misses \(missing)")
    }

    /// SMPL-22 positions from named source positions.
    func apply(_ positions: [String: SIMD3<Double>]) -> [SIMD3<Double>] {
        sources.map { source in
            switch source {
            case .joint(let a): return positions[a]!
            case .midpoint(let a, let b): return 0.5 * (positions[a]! + positions[b]!)
            }
        }
    }
}
