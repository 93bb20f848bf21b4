import Foundation

/// Draws SMPL-22 motions as stick figures on a floor grid, side by side,
/// one panel per motion. The camera looks from the front-right and above
/// and follows each root across the floor (the grid scrolls, the root's
/// path is drawn on it), so long walks stay in frame. Right limbs are red,
/// left limbs blue (the character's own sides).
public struct StickFigureRenderer: Sendable {
    public var panelSize = 320
    public var azimuthDegrees = 30.0
    public var elevationDegrees = 20.0
    /// Metres from the panel's centre to its edge.
    public var halfExtent = 1.25

    public init() {}

    static let chains: [([Int], UInt8)] = [
        ([0, 2, 5, 8, 11], Palette.right), ([0, 1, 4, 7, 10], Palette.left), ([0, 3, 6, 9, 12, 15], Palette.spine),
        ([9, 14, 17, 19, 21], Palette.right), ([9, 13, 16, 18, 20], Palette.left),
    ]

    /// All frames; motions shorter than the longest hold their last pose.
    public func frames(_ motions: [JointPositions], captions: [String] = []) -> [Canvas] {
        let count = motions.map(\.frames).max() ?? 0
        let captionHeight = captions.contains { !$0.isEmpty } ? 22 : 0
        return (0..<count).map { t in
            var canvas = Canvas(width: panelSize * motions.count, height: panelSize + captionHeight)
            for (i, motion) in motions.enumerated() {
                var panel = self.panel(motion, frame: min(t, motion.frames - 1))
                if i < captions.count, !captions[i].isEmpty {
                    var strip = Canvas(width: panelSize, height: captionHeight)
                    strip.text(Self.fit(captions[i], width: panelSize - 8, scale: 2), x: 4, y: 4, scale: 2, Palette.text)
                    canvas.paste(strip, x: i * panelSize, y: 0)
                }
                panel.line(Double(panelSize - 1), 0, Double(panelSize - 1), Double(panelSize), thickness: 1, Palette.floorEdge)
                canvas.paste(panel, x: i * panelSize, y: captionHeight)
            }
            return canvas
        }
    }

    /// Cuts a caption to the characters that fit.
    static func fit(_ text: String, width: Int, scale: Int) -> String {
        let room = width / (6 * scale)
        return text.count <= room ? text : String(text.prefix(max(0, room - 2))) + ".."
    }

    func panel(_ motion: JointPositions, frame t: Int) -> Canvas {
        var canvas = Canvas(width: panelSize, height: panelSize)
        let root = motion[t, 0]
        let centre = SIMD3<Double>(Double(root.x), 0.9, Double(root.z))
        let az = azimuthDegrees * .pi / 180, el = elevationDegrees * .pi / 180
        let right = SIMD3<Double>(cos(az), 0, -sin(az))
        let up = SIMD3<Double>(-sin(el) * sin(az), cos(el), -sin(el) * cos(az))
        let toward = SIMD3<Double>(sin(az) * cos(el), sin(el), cos(az) * cos(el))
        let scale = Double(panelSize) / 2 / halfExtent
        func project(_ p: SIMD3<Double>) -> (Double, Double) {
            let d = p - centre
            return (Double(panelSize) / 2 + (d * right).sum() * scale, Double(panelSize) / 2 - (d * up).sum() * scale)
        }
        func world(_ p: SIMD3<Float>) -> SIMD3<Double> { SIMD3(Double(p.x), Double(p.y), Double(p.z)) }

        // Floor grid every 0.5 m around the root.
        let step = 0.5, reach = 3.0
        let gx = (centre.x / step).rounded() * step, gz = (centre.z / step).rounded() * step
        for k in stride(from: -reach, through: reach, by: step) {
            let a = project(SIMD3(gx + k, 0, gz - reach)), b = project(SIMD3(gx + k, 0, gz + reach))
            canvas.line(a.0, a.1, b.0, b.1, thickness: 1, Palette.grid)
            let c = project(SIMD3(gx - reach, 0, gz + k)), d = project(SIMD3(gx + reach, 0, gz + k))
            canvas.line(c.0, c.1, d.0, d.1, thickness: 1, Palette.grid)
        }
        // The root's path on the floor up to now.
        for s in stride(from: 1, through: t, by: 1) {
            let a = project(world(motion[s - 1, 0]) * SIMD3(1, 0, 1)), b = project(world(motion[s, 0]) * SIMD3(1, 0, 1))
            canvas.line(a.0, a.1, b.0, b.1, thickness: 2, Palette.trajectory)
        }
        // Bones, far ones first.
        var bones: [(depth: Double, a: Int, b: Int, color: UInt8)] = []
        for (chain, color) in Self.chains {
            for (a, b) in zip(chain, chain.dropFirst()) {
                let mid = (world(motion[t, a]) + world(motion[t, b])) / 2
                bones.append((depth: ((mid - centre) * toward).sum(), a: a, b: b, color: color))
            }
        }
        for bone in bones.sorted(by: { $0.depth < $1.depth }) {
            let a = project(world(motion[t, bone.a])), b = project(world(motion[t, bone.b]))
            canvas.line(a.0, a.1, b.0, b.1, thickness: 4, bone.color)
        }
        let head = project(world(motion[t, 15]))
        canvas.disc(head.0, head.1, radius: 7, Palette.spine)
        return canvas
    }
}
