/// Joint positions in MBench's frame: metres, Z up, one (joints x 3) pose per frame.
/// HumanML3D joints are Y up; MBench reads axis 2 as height, so (x, y, z) Y-up
/// becomes (-x, z, y): a right-handed Z-up frame with the floor at height 0.
public struct ZUpJoints: Sendable {
    public let frames: Int
    public let joints: Int
    let positions: [SIMD3<Double>]

    public static let root = 0
    public static let feet = [10, 11]

    /// `values`: (frames, joints, 3) row-major, Y up.
    public init(yUp values: [Float], frames: Int, joints: Int) throws {
        guard values.count == frames * joints * 3 else {
            throw MetricError.invalid("joints must be (T, \(joints), 3): \(values.count) values for \(frames) frames")
        }
        guard joints > Self.feet.max()! else { throw MetricError.invalid("quality needs the 22-joint skeleton (feet are joints 10 and 11); got \(joints) joints") }
        guard values.allSatisfy(\.isFinite) else { throw MetricError.invalid("joints contain NaN or infinite values") }
        self.frames = frames
        self.joints = joints
        positions = (0..<frames * joints).map {
            SIMD3(-Double(values[3 * $0]), Double(values[3 * $0 + 2]), Double(values[3 * $0 + 1]))
        }
    }

    public subscript(frame: Int, joint: Int) -> SIMD3<Double> { positions[frame * joints + joint] }

    /// Position relative to the root joint of the same frame.
    func local(_ frame: Int, _ joint: Int) -> SIMD3<Double> { self[frame, joint] - self[frame, Self.root] }

    /// Per-frame displacement of `position(frame)`, the last one repeated (as MBench pads velocities).
    func velocity(_ frame: Int, _ position: (Int) -> SIMD3<Double>) -> SIMD3<Double> {
        let f = min(frame, frames - 2)
        return position(f + 1) - position(f)
    }
}

func length(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }
