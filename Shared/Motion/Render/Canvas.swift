/// An indexed-colour image (one palette index per pixel), the form GIF and
/// PNG both take, with the few drawing operations a stick figure needs.
public struct Canvas: Sendable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, fill: UInt8 = 0) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: fill, count: width * height)
    }

    public mutating func dot(_ x: Int, _ y: Int, _ color: UInt8) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        pixels[y * width + x] = color
    }

    /// A filled disc of `radius` pixels.
    public mutating func disc(_ cx: Double, _ cy: Double, radius: Double, _ color: UInt8) {
        let r = Int(radius.rounded(.up))
        for dy in -r...r {
            for dx in -r...r where Double(dx * dx + dy * dy) <= radius * radius {
                dot(Int(cx.rounded()) + dx, Int(cy.rounded()) + dy, color)
            }
        }
    }

    /// A line `thickness` pixels wide (stamped discs along it).
    public mutating func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, thickness: Double, _ color: UInt8) {
        let steps = max(1, Int(max(abs(x1 - x0), abs(y1 - y0)).rounded(.up)))
        for i in 0...steps {
            let t = Double(i) / Double(steps)
            let x = x0 + (x1 - x0) * t, y = y0 + (y1 - y0) * t
            if thickness <= 1 { dot(Int(x.rounded()), Int(y.rounded()), color) } else { disc(x, y, radius: thickness / 2, color) }
        }
    }

    /// Text in the 5x7 font at `scale`, left-aligned at (x, y) top-left; returns the width drawn.
    @discardableResult
    public mutating func text(_ string: String, x: Int, y: Int, scale: Int = 2, _ color: UInt8) -> Int {
        var cursor = x
        for ch in string {
            let rows = BitmapFont.glyph(ch)
            for (row, bits) in rows.enumerated() {
                for col in 0..<5 where bits & (0x10 >> col) != 0 {
                    for sy in 0..<scale {
                        for sx in 0..<scale { dot(cursor + col * scale + sx, y + row * scale + sy, color) }
                    }
                }
            }
            cursor += 6 * scale
        }
        return cursor - x
    }

    /// Copies `other` into this canvas with its top-left at (x, y).
    public mutating func paste(_ other: Canvas, x: Int, y: Int) {
        for row in 0..<other.height where y + row < height {
            for col in 0..<other.width where x + col < width {
                pixels[(y + row) * width + x + col] = other.pixels[row * other.width + col]
            }
        }
    }
}

/// The palette every renderer uses (RGB).
public enum Palette {
    public static let background: UInt8 = 0, grid: UInt8 = 1, spine: UInt8 = 2, right: UInt8 = 3
    public static let left: UInt8 = 4, text: UInt8 = 5, trajectory: UInt8 = 6, floorEdge: UInt8 = 7
    public static let rgb: [(UInt8, UInt8, UInt8)] = [
        (255, 255, 255), (215, 215, 215), (60, 60, 70), (214, 39, 40),
        (31, 119, 180), (20, 20, 20), (255, 140, 0), (160, 160, 160),
    ]
}
