/// Writes an animated GIF89a of indexed frames: one global palette, LZW
/// image data, looping forever (NETSCAPE2.0), `delay` hundredths of a second per frame.
public enum GIFWriter {
    public static func gif(_ frames: [Canvas], palette: [(UInt8, UInt8, UInt8)], delayCentiseconds: Int) -> [UInt8] {
        precondition(!frames.isEmpty && palette.count <= 256)
        let width = frames[0].width, height = frames[0].height
        var bits = 1
        while 1 << bits < palette.count { bits += 1 }
        var out = Array("GIF89a".utf8)
        out += le16(width) + le16(height) + [0xF0 | UInt8(bits - 1), 0, 0]
        for i in 0..<(1 << bits) {
            let c = i < palette.count ? palette[i] : (0, 0, 0)
            out += [c.0, c.1, c.2]
        }
        out += [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [0x03, 0x01, 0x00, 0x00, 0x00]
        let minimumCodeSize = max(2, bits)
        for frame in frames {
            out += [0x21, 0xF9, 0x04, 0x00] + le16(delayCentiseconds) + [0x00, 0x00]
            out += [0x2C] + le16(0) + le16(0) + le16(width) + le16(height) + [0x00]
            out.append(UInt8(minimumCodeSize))
            let data = lzw(frame.pixels, minimumCodeSize: minimumCodeSize)
            var offset = 0
            while offset < data.count {
                let n = min(255, data.count - offset)
                out.append(UInt8(n))
                out += data[offset..<offset + n]
                offset += n
            }
            out.append(0x00)
        }
        out.append(0x3B)
        return out
    }

    private static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }

    /// GIF's variable-width LZW: clear code first, table reset when full.
    static func lzw(_ pixels: [UInt8], minimumCodeSize: Int) -> [UInt8] {
        let clear = 1 << minimumCodeSize, end = clear + 1
        var table: [Int: Int] = [:]
        var next = end + 1, width = minimumCodeSize + 1
        var writer = BitWriter()
        writer.write(clear, width)
        guard var prefix = pixels.first.map(Int.init) else {
            writer.write(end, width)
            return writer.finish()
        }
        for pixel in pixels.dropFirst() {
            let key = prefix << 8 | Int(pixel)
            if let code = table[key] {
                prefix = code
                continue
            }
            writer.write(prefix, width)
            if next < 4096 {
                table[key] = next
                if next == 1 << width { width += 1 }
                next += 1
            } else {
                writer.write(clear, width)
                table.removeAll(keepingCapacity: true)
                next = end + 1
                width = minimumCodeSize + 1
            }
            prefix = Int(pixel)
        }
        writer.write(prefix, width)
        writer.write(end, width)
        return writer.finish()
    }

    struct BitWriter {
        var bytes: [UInt8] = []
        var buffer = 0, count = 0

        mutating func write(_ code: Int, _ width: Int) {
            buffer |= code << count
            count += width
            while count >= 8 {
                bytes.append(UInt8(buffer & 0xFF))
                buffer >>= 8
                count -= 8
            }
        }

        mutating func finish() -> [UInt8] {
            if count > 0 { bytes.append(UInt8(buffer & 0xFF)) }
            return bytes
        }
    }
}
