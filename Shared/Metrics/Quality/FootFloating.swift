import Foundation

/// MBench's foot-floating score: the share of frames whose feet move in a way
/// that a foot on (or pushing off) the ground cannot, from three checks:
/// - frame check: a contact foot whose speed relative to the root is far below
///   (rate < 0.6) or above (> 1.75) the root's speed while it moves;
/// - run check: inside each no-contact run of >= 4 frames where the root mostly
///   moves, sub-runs with rate < 0.4 (counted at half weight);
/// - mass check: runs where both feet are off the ground for >= 4 frames and the
///   left foot's direction from the run's start wobbles (more than 2 angle peaks).
struct FootFloating {
    let score: Double

    static let rootStill = 0.001
    static let lowRate = 0.6
    static let highRate = 1.75
    static let moving = 1.2e-4

    init(_ motion: ZUpJoints, _ contact: FootContact) {
        let frames = motion.frames
        let root = (0..<frames).map { f in length(motion.velocity(f) { motion[$0, ZUpJoints.root] }) }
        let rates = (0..<frames).map { f in
            ZUpJoints.feet.map { foot in length(motion.velocity(f) { motion.local($0, foot) }) / (root[f] + 1e-6) }
        }
        let invalidFrames = Self.invalidContactFrames(motion, contact, rates: rates, root: root)
        let lowRateFrames = Self.lowRateRunLengths(motion, contact, rates: rates, root: root)
        let massFrames = Self.massFloatingFrames(motion, contact)
        score = (Double(invalidFrames) + Double(lowRateFrames) / 2 + Double(massFrames)) / Double(frames)
    }

    /// Frames in which a contact foot moves implausibly (both feet, when both touch).
    static func invalidContactFrames(_ motion: ZUpJoints, _ contact: FootContact, rates: [[Double]], root: [Double]) -> Int {
        var count = 0
        for f in 0..<motion.frames {
            let rootSpeed = root[f]
            if rootSpeed < rootStill { continue }
            let invalid = ZUpJoints.feet.indices.map { side -> Bool in
                let footSpeed = length(motion.velocity(f) { motion[$0, ZUpJoints.feet[side]] })
                let slow = rates[f][side] < lowRate && footSpeed > moving
                let fast = rates[f][side] > highRate && footSpeed > moving
                return slow || (fast && rootSpeed > moving)
            }
            let (left, right) = (contact[f, 0], contact[f, 1])
            if (left && right && invalid[0] && invalid[1]) || (left && !right && invalid[0]) || (right && !left && invalid[1]) {
                count += 1
            }
        }
        return count
    }

    /// Total length of the low-rate sub-runs inside each foot's no-contact runs.
    static func lowRateRunLengths(_ motion: ZUpJoints, _ contact: FootContact, rates: [[Double]], root: [Double]) -> Int {
        var total = 0
        for side in ZUpJoints.feet.indices {
            for run in contact.runs(side: side, state: false, frames: motion.frames) where run.count >= 4 {
                let still = run.filter { root[$0] < rootStill }.count
                if Double(still) / Double(run.count) > 0.5 { continue }
                var current = 0
                for f in run {
                    if rates[f][side] < lowRate - 0.2 { current += 1 } else { total += current; current = 0 }
                }
                total += current
            }
        }
        return total
    }

    /// Frames of both-feet-off intervals whose left-foot direction wobbles.
    static func massFloatingFrames(_ motion: ZUpJoints, _ contact: FootContact) -> Int {
        let left = contact.runs(side: 0, state: false, frames: motion.frames)
        let right = contact.runs(side: 1, state: false, frames: motion.frames)
        var total = 0
        for a in left {
            for b in right {
                let (start, end) = (max(a.lowerBound, b.lowerBound), min(a.upperBound, b.upperBound))
                guard start < end, end - start + 1 >= 4 else { continue }
                let foot = ZUpJoints.feet[0]
                let whole = motion[end, foot] - motion[start, foot]
                let angles = (start + 1...end).map { angleDegrees(motion[$0, foot] - motion[start, foot], whole) }
                if localMaxima(angles) > 2 { total += end - start + 1 }
            }
        }
        return total
    }

    static func angleDegrees(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        let u = a / (length(a) + 1e-6)
        let v = b / (length(b) + 1e-6)
        return acos(min(1, max(-1, (u * v).sum()))) * 180 / .pi
    }

    /// The number of peaks scipy.signal.find_peaks reports with no conditions:
    /// samples higher than both neighbours, a flat top counting once when both
    /// of its sides are lower.
    static func localMaxima(_ x: [Double]) -> Int {
        var peaks = 0
        var i = 1
        while i < x.count - 1 {
            if x[i - 1] < x[i] {
                var ahead = i + 1
                while ahead < x.count - 1, x[ahead] == x[i] { ahead += 1 }
                if x[ahead] < x[i] { peaks += 1; i = ahead }
            }
            i += 1
        }
        return peaks
    }
}
