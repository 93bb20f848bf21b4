import Foundation

/// Imports motion files as SMPL-22 joint positions: metres, Y up, 20 fps,
/// in the file's own world frame (no re-centring, floor shift or turning).
public enum MotionImport {
    /// - scale: file units to metres (BVH mocap is usually in centimetres).
    public static func bvh(_ url: URL, mapping: JointMapping? = nil, scale: Double = 0.01,
                           fps: Double = 20) throws -> JointPositions {
        let file = try BVHFile.read(url)
        let names = file.namedJoints.map { file.joints[$0].name }
        let mapping = try mapping ?? JointMapping.detect(in: Set(names))
        let world = file.worldPositions()
        let frames = world.map { pose -> [SIMD3<Double>] in
            var byName: [String: SIMD3<Double>] = [:]
            for j in file.namedJoints { byName[file.joints[j].name] = pose[j] * scale }
            return mapping.apply(byName)
        }
        return resample(frames, frameTime: file.frameTime, fps: fps)
    }

    /// Linear interpolation of joint positions at t = k / fps for k = 0, 1, ...
    /// while t <= the last frame's time; frame k of the source is at k x frameTime.
    public static func resample(_ frames: [[SIMD3<Double>]], frameTime: Double, fps: Double) -> JointPositions {
        let last = Double(frames.count - 1) * frameTime
        let count = Int((last * fps + 1e-9).rounded(.down)) + 1
        let joints = frames[0].count
        var out = JointPositions(frames: count, joints: joints)
        for k in 0..<count {
            let position = Double(k) / fps / frameTime
            let lo = min(Int(position.rounded(.down)), frames.count - 1)
            let hi = min(lo + 1, frames.count - 1)
            let w = position - Double(lo)
            for j in 0..<joints {
                let p = frames[lo][j] * (1 - w) + frames[hi][j] * w
                out[k, j] = SIMD3(Float(p.x), Float(p.y), Float(p.z))
            }
        }
        return out
    }
}
