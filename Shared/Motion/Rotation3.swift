import Foundation

/// A 3x3 rotation matrix in Double, rows first: the math of BVH and ASF/AMC.
public struct Rotation3: Sendable {
    public var rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)

    public static let identity = Rotation3(rows: (SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)))

    /// Rotation by `degrees` about axis 0 (X), 1 (Y) or 2 (Z), right-handed.
    public static func about(axis: Int, degrees: Double) -> Rotation3 {
        let a = degrees * .pi / 180
        let c = cos(a), s = sin(a)
        switch axis {
        case 0: return Rotation3(rows: (SIMD3(1, 0, 0), SIMD3(0, c, -s), SIMD3(0, s, c)))
        case 1: return Rotation3(rows: (SIMD3(c, 0, s), SIMD3(0, 1, 0), SIMD3(-s, 0, c)))
        default: return Rotation3(rows: (SIMD3(c, -s, 0), SIMD3(s, c, 0), SIMD3(0, 0, 1)))
        }
    }

    public static func * (a: Rotation3, b: Rotation3) -> Rotation3 {
        let bt = b.transposed
        func row(_ r: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3((r * bt.rows.0).sum(), (r * bt.rows.1).sum(), (r * bt.rows.2).sum())
        }
        return Rotation3(rows: (row(a.rows.0), row(a.rows.1), row(a.rows.2)))
    }

    public static func * (m: Rotation3, v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((m.rows.0 * v).sum(), (m.rows.1 * v).sum(), (m.rows.2 * v).sum())
    }

    public var transposed: Rotation3 {
        Rotation3(rows: (SIMD3(rows.0.x, rows.1.x, rows.2.x), SIMD3(rows.0.y, rows.1.y, rows.2.y),
                         SIMD3(rows.0.z, rows.1.z, rows.2.z)))
    }

    /// The minimal rotation taking unit direction `u` to unit direction `v`.
    public static func between(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> Rotation3 {
        let axis = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        let c = (u * v).sum()
        if c < -1 + 1e-12 {  // opposite: half a turn about any perpendicular
            let p = abs(u.x) < 0.9 ? SIMD3<Double>(1, 0, 0) : SIMD3<Double>(0, 1, 0)
            var k = SIMD3(u.y * p.z - u.z * p.y, u.z * p.x - u.x * p.z, u.x * p.y - u.y * p.x)
            k /= (k * k).sum().squareRoot()
            return Rotation3(rows: (2 * k.x * k - SIMD3(1, 0, 0), 2 * k.y * k - SIMD3(0, 1, 0), 2 * k.z * k - SIMD3(0, 0, 1)))
        }
        let f = 1 / (1 + c)
        let (x, y, z) = (axis.x, axis.y, axis.z)
        return Rotation3(rows: (SIMD3(c + f * x * x, f * x * y - z, f * x * z + y),
                                SIMD3(f * x * y + z, c + f * y * y, f * y * z - x),
                                SIMD3(f * x * z - y, f * y * z + x, c + f * z * z)))
    }

    /// Euler angles in degrees for R = Rz(a) Rx(b) Ry(c), BVH's "Zrotation Xrotation Yrotation".
    public var zxyDegrees: SIMD3<Double> {
        let sinB = max(-1, min(1, rows.2.y))
        let b = asin(sinB)
        let a: Double, c: Double
        if abs(sinB) < 1 - 1e-9 {
            a = atan2(-rows.0.y, rows.1.y)
            c = atan2(-rows.2.x, rows.2.z)
        } else {  // gimbal lock: put all of the remaining turn in Z
            a = atan2(rows.1.x, rows.0.x)
            c = 0
        }
        return SIMD3(a, b, c) * (180 / .pi)
    }
}
