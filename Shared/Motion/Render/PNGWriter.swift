import CZlib

/// Writes an indexed-colour PNG (colour type 3) through zlib.
public enum PNGWriter {
    public static func png(_ canvas: Canvas, palette: [(UInt8, UInt8, UInt8)]) -> [UInt8] {
        var raw: [UInt8] = []
        raw.reserveCapacity((canvas.width + 1) * canvas.height)
        for y in 0..<canvas.height {
            raw.append(0)  // filter: none
            raw += canvas.pixels[(y * canvas.width)..<((y + 1) * canvas.width)]
        }
        var size = compressBound(UInt(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(size))
        _ = compress2(&compressed, &size, raw, UInt(raw.count), 9)
        compressed.removeSubrange(Int(size)...)
        var header = be32(canvas.width) + be32(canvas.height)
        header += [8, 3, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + chunk("IHDR", header) + chunk("PLTE", palette.flatMap { [$0.0, $0.1, $0.2] })
            + chunk("IDAT", compressed) + chunk("IEND", [])
    }

    private static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        return be32(data.count) + body + be32(Int(crc))
    }
}

extension Canvas {
    /// Frames sampled evenly in a grid `columns` wide, left to right and
    /// top to bottom: one picture of a whole motion.
    public static func contactSheet(_ frames: [Canvas], count: Int, columns: Int = 4) -> Canvas {
        let n = min(count, frames.count)
        let picks = (0..<n).map { n == 1 ? 0 : $0 * (frames.count - 1) / (n - 1) }
        let w = frames[0].width, h = frames[0].height, cols = min(columns, n)
        var sheet = Canvas(width: w * cols, height: h * ((n + cols - 1) / cols))
        for (i, f) in picks.enumerated() { sheet.paste(frames[f], x: (i % cols) * w, y: (i / cols) * h) }
        return sheet
    }
}
