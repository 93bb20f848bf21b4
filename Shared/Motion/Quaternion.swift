import Foundation

/// A rotation quaternion (w, x, y, z) in Float32, with the operations of
/// HumanML3D's `quaternion.py` computed in the same order, so results agree
/// with the reference to float32 rounding.
public struct Quaternion: Equatable, Sendable {
    public var w, x, y, z: Float

    public init(w: Float, x: Float, y: Float, z: Float) {
        self.w = w; self.x = x; self.y = y; self.z = z
    }

    public static let identity = Quaternion(w: 1, x: 0, y: 0, z: 0)

    /// A rotation by `angle` radians about +Y.
    public static func yaw(_ angle: Float) -> Quaternion {
        Quaternion(w: cos(angle), x: 0, y: sin(angle), z: 0)
    }

    var vector: SIMD3<Float> { SIMD3(x, y, z) }

    /// Hamilton product `self * r` (qmul).
    public static func * (q: Quaternion, r: Quaternion) -> Quaternion {
        Quaternion(
            w: r.w * q.w - r.x * q.x - r.y * q.y - r.z * q.z,
            x: r.w * q.x + r.x * q.w - r.y * q.z + r.z * q.y,
            y: r.w * q.y + r.x * q.z + r.y * q.w - r.z * q.x,
            z: r.w * q.z - r.x * q.y + r.y * q.x + r.z * q.w)
    }

    /// The conjugate (qinv): the inverse of a unit quaternion.
    public var inverse: Quaternion { Quaternion(w: w, x: -x, y: -y, z: -z) }

    /// Rotates `v` (qrot): v + 2 (w (q x v) + q x (q x v)).
    public func rotate(_ v: SIMD3<Float>) -> SIMD3<Float> {
        let uv = cross(vector, v)
        let uuv = cross(vector, uv)
        return v + 2 * (w * uv + uuv)
    }

    /// `rotate` for a rotation about Y only (x = z = 0): the same operations
    /// with the exact zeros left out, so the result is bit-for-bit the same.
    public func rotateAboutY(_ v: SIMD3<Float>) -> SIMD3<Float> {
        let uvx = y * v.z, uvz = -(y * v.x)
        let uuvx = y * uvz, uuvz = -(y * uvx)
        return SIMD3(v.x + 2 * (w * uvx + uuvx), v.y, v.z + 2 * (w * uvz + uuvz))
    }

    public var normalized: Quaternion {
        let n = (w * w + x * x + y * y + z * z).squareRoot()
        return Quaternion(w: w / n, x: x / n, y: y / n, z: z / n)
    }

    /// The rotation taking direction `u` to direction `v` (qbetween).
    public static func between(_ u: SIMD3<Float>, _ v: SIMD3<Float>) -> Quaternion {
        let c = cross(u, v)
        let w = ((u * u).sum() * (v * v).sum()).squareRoot() + (u * v).sum()
        return Quaternion(w: w, x: c.x, y: c.y, z: c.z).normalized
    }

    /// The first two columns of the rotation matrix (quaternion_to_cont6d),
    /// as [m00, m10, m20, m01, m11, m21], written at `out`.
    public func writeContinuous6D(to out: UnsafeMutablePointer<Float>) {
        let twoS = 2 / (w * w + x * x + y * y + z * z)
        let m00 = 1 - twoS * (y * y + z * z)
        let m01 = twoS * (x * y - z * w)
        let m10 = twoS * (x * y + z * w)
        let m11 = 1 - twoS * (x * x + z * z)
        let m20 = twoS * (x * z - y * w)
        let m21 = twoS * (y * z + x * w)
        (out[0], out[1], out[2], out[3], out[4], out[5]) = (m00, m10, m20, m01, m11, m21)
    }
}

/// The cross product as torch.cross computes it.
@inline(__always)
func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
