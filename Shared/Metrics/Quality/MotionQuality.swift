/// MBench's motion-quality metrics (ViMoGen, `mbench/motion_quality.py`) for one
/// motion: smoothness (jitter), liveliness (dynamic degree) and foot-ground
/// physics (sliding, penetration, floating). Frames are used as given (20 fps).
public struct MotionQuality: Sendable, Equatable, Codable {
    /// Mean acceleration magnitude, global plus root-relative.
    public var jitter: Double
    /// Mean velocity magnitude, global plus root-relative.
    public var dynamic: Double
    /// Mean horizontal foot displacement in contact frames, averaged over the feet.
    public var footSliding: Double
    /// Mean depth of foot samples more than 5 mm below the floor (0 if none).
    public var groundPenetration: Double
    /// Invalid-floating frames over all frames (see FootFloating).
    public var footFloating: Double

    public init(_ motion: ZUpJoints) throws {
        guard motion.frames >= 3 else { throw MetricError.invalid("quality needs at least 3 frames; got \(motion.frames)") }
        jitter = Self.meanDifference(motion, order: 2) { motion[$0, $1] } + Self.meanDifference(motion, order: 2, motion.local)
        dynamic = Self.meanDifference(motion, order: 1) { motion[$0, $1] } + Self.meanDifference(motion, order: 1, motion.local)
        let contact = FootContact(motion)
        footSliding = Self.sliding(motion, contact)
        groundPenetration = Self.penetration(motion)
        footFloating = FootFloating(motion, contact).score
    }

    /// The mean norm of the first or second difference over frames and joints.
    static func meanDifference(_ motion: ZUpJoints, order: Int, _ position: (Int, Int) -> SIMD3<Double>) -> Double {
        var sum = 0.0
        let steps = motion.frames - order
        for f in 0..<steps {
            for j in 0..<motion.joints {
                let difference = order == 1
                    ? position(f + 1, j) - position(f, j)
                    : position(f + 2, j) - 2 * position(f + 1, j) + position(f, j)
                sum += length(difference)
            }
        }
        return sum / Double(steps * motion.joints)
    }

    static func sliding(_ motion: ZUpJoints, _ contact: FootContact) -> Double {
        var total = 0.0
        for (side, foot) in ZUpJoints.feet.enumerated() {
            var (distance, contacts) = (0.0, 0.0)
            for f in 0..<motion.frames where contact[f, side] {
                let step = motion.velocity(f) { motion[$0, foot] }
                distance += (step.x * step.x + step.y * step.y).squareRoot()
                contacts += 1
            }
            total += distance / (contacts + 1e-6)
        }
        return total / 2
    }

    static func penetration(_ motion: ZUpJoints) -> Double {
        let depths = (0..<motion.frames).flatMap { f in ZUpJoints.feet.map { motion[f, $0].z } }.filter { $0 < -0.005 }
        return depths.isEmpty ? 0 : depths.reduce(0) { $0 + abs($1) } / Double(depths.count)
    }
}

/// MBench's foot contact: a foot touches the ground in a frame when it moves
/// less than 1 cm to the next frame or is lower than 2 cm.
struct FootContact {
    private let flags: [Bool]

    init(_ motion: ZUpJoints) {
        flags = (0..<motion.frames).flatMap { f in
            ZUpJoints.feet.map { foot in
                length(motion.velocity(f) { motion[$0, foot] }) < 0.01 || motion[f, foot].z < 0.02
            }
        }
    }

    subscript(frame: Int, side: Int) -> Bool { flags[frame * 2 + side] }

    /// Maximal runs of frames (inclusive bounds) where `side` is in `state`.
    func runs(side: Int, state: Bool, frames: Int) -> [ClosedRange<Int>] {
        var runs: [ClosedRange<Int>] = []
        var start: Int?
        for f in 0...frames {
            let inState = f < frames && self[f, side] == state
            if inState, start == nil { start = f }
            if !inState, let s = start { runs.append(s...(f - 1)); start = nil }
        }
        return runs
    }
}
