/// A skeleton as HumanML3D's `paramUtil.py` defines it: kinematic chains
/// (each starting at the root or at a joint of an earlier chain), unit raw
/// offsets giving each bone's rest direction, and the joints the feature
/// extraction looks at.
public struct Skeleton: Sendable {
    public let name: String
    public let jointNames: [String]
    public let kinematicChains: [[Int]]
    public let rawOffsets: [SIMD3<Float>]
    /// Unpacked as (l_hip, r_hip, sdr_r, sdr_l) inside IK; see `across(_:)`.
    public let faceJoints: (Int, Int, Int, Int)
    public let leftFoot: [Int]
    public let rightFoot: [Int]
    /// Leg joints whose offsets give the leg length used for scaling.
    public let legJoints: (Int, Int)
    public let fps: Float
    /// Feature dimension: 4 + (J-1)*3 + (J-1)*6 + J*3 + 4.
    public var featureDim: Int { 4 + (jointCount - 1) * 9 + jointCount * 3 + 4 }
    public var jointCount: Int { rawOffsets.count }

    /// The parent of each joint (-1 for the root), from the chains.
    public let parents: [Int]

    init(name: String, jointNames: [String], kinematicChains: [[Int]], rawOffsets: [SIMD3<Float>],
         faceJoints: (Int, Int, Int, Int), leftFoot: [Int], rightFoot: [Int], legJoints: (Int, Int), fps: Float) {
        self.name = name
        self.jointNames = jointNames
        self.kinematicChains = kinematicChains
        self.rawOffsets = rawOffsets
        self.faceJoints = faceJoints
        self.leftFoot = leftFoot
        self.rightFoot = rightFoot
        self.legJoints = legJoints
        self.fps = fps
        var parents = [Int](repeating: 0, count: rawOffsets.count)
        parents[0] = -1
        for chain in kinematicChains {
            for j in 1..<chain.count { parents[chain[j]] = chain[j - 1] }
        }
        self.parents = parents
    }

    /// SMPL's first 22 joints, as HumanML3D uses them (metres, Y up, 20 fps).
    public static let humanML3D = Skeleton(
        name: "humanml3d",
        jointNames: ["pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2",
                     "left_ankle", "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar",
                     "right_collar", "head", "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
                     "left_wrist", "right_wrist"],
        kinematicChains: [[0, 2, 5, 8, 11], [0, 1, 4, 7, 10], [0, 3, 6, 9, 12, 15], [9, 14, 17, 19, 21],
                          [9, 13, 16, 18, 20]],
        rawOffsets: [[0, 0, 0], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, -1, 0], [0, 1, 0],
                     [0, -1, 0], [0, -1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1], [0, 1, 0], [1, 0, 0],
                     [-1, 0, 0], [0, 0, 1], [0, -1, 0], [0, -1, 0], [0, -1, 0], [0, -1, 0], [0, -1, 0],
                     [0, -1, 0]],
        faceJoints: (2, 1, 17, 16), leftFoot: [7, 10], rightFoot: [8, 11], legJoints: (5, 8), fps: 20)

    /// KIT-ML's 21 joints (millimetres, Y up, 12.5 fps).
    public static let kit = Skeleton(
        name: "kit",
        jointNames: ["root", "BP", "BT", "BLN", "BUN", "RS", "RE", "RW", "LS", "LE", "LW",
                     "RH", "RK", "RA", "RMrot", "RF", "LH", "LK", "LA", "LMrot", "LF"],
        kinematicChains: [[0, 11, 12, 13, 14, 15], [0, 16, 17, 18, 19, 20], [0, 1, 2, 3, 4], [3, 5, 6, 7],
                          [3, 8, 9, 10]],
        rawOffsets: [[0, 0, 0], [0, 1, 0], [0, 1, 0], [0, 1, 0], [0, 1, 0], [1, 0, 0], [0, -1, 0], [0, -1, 0],
                     [-1, 0, 0], [0, -1, 0], [0, -1, 0], [1, 0, 0], [0, -1, 0], [0, -1, 0], [0, 0, 1],
                     [0, 0, 1], [-1, 0, 0], [0, -1, 0], [0, -1, 0], [0, 0, 1], [0, 0, 1]],
        faceJoints: (11, 16, 5, 8), leftFoot: [19, 20], rightFoot: [14, 15], legJoints: (17, 18), fps: 12.5)
}
