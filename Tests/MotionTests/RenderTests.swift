import CZlib
import Foundation
@testable import IRGMotion
import Testing

@Suite struct RenderTests {
    static func clip() throws -> JointPositions {
        try MotionImport.bvh(FixtureData.url("bandai-namco/dataset-1_walk_normal_002.bvh"))
    }

    /// GIF written, then decoded by an LZW decoder written here: every frame's pixels come back.
    @Test func gifFramesDecodeToTheCanvasPixels() throws {
        let frames = StickFigureRenderer().frames([try Self.clip()], captions: ["a person walks forward."])
        let gif = GIFWriter.gif(frames, palette: Palette.rgb, delayCentiseconds: 5)
        let decoded = try GIFDecoder.frames(gif)
        #expect(decoded.count == frames.count)
        for (a, b) in zip(decoded, frames) { #expect(a == b.pixels) }
        #expect(Array(gif.prefix(6)) == Array("GIF89a".utf8) && gif.last == 0x3B)
    }

    @Test func pngChunksCheckOutAndInflateToThePixels() throws {
        var canvas = Canvas(width: 37, height: 11)
        canvas.text("Hi!", x: 1, y: 1, scale: 1, Palette.text)
        canvas.line(0, 10, 36, 0, thickness: 3, Palette.right)
        let png = PNGWriter.png(canvas, palette: Palette.rgb)
        var offset = 8, idat: [UInt8] = []
        while offset < png.count {
            let length = png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let body = Array(png[(offset + 4)..<(offset + 8 + length)])
            let stored = png[(offset + 8 + length)..<(offset + 12 + length)].reduce(0) { $0 << 8 | UInt32($1) }
            #expect(stored == body.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) })
            if body.starts(with: Array("IDAT".utf8)) { idat += body.dropFirst(4) }
            offset += 12 + length
        }
        var raw = [UInt8](repeating: 0, count: (37 + 1) * 11)
        var size = UInt(raw.count)
        #expect(uncompress(&raw, &size, idat, UInt(idat.count)) == Z_OK)
        let rows = (0..<11).flatMap { raw[($0 * 38 + 1)..<($0 * 38 + 38)] }
        #expect(rows == canvas.pixels)
    }

    @Test func htmlIsSelfContained() throws {
        let page = HTMLRenderer.page([try Self.clip()], captions: ["a person walks <forward>."])
        #expect(page.contains("\"frames\":[[") && page.contains("<canvas") == false)  // canvases are made by the script
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("src="))
        #expect(page.contains("a person walks <forward>.") || page.contains("a person walks \\u003cforward\\u003e."))
    }

    @Test func renderRefusesWhatItCannotDraw() throws {
        let dir = FileManager.default.temporaryDirectory
        #expect(throws: MotionError.self) {
            try MotionRendering.render([try Self.clip()], captions: [], to: dir.appendingPathComponent("x.avi"))
        }
        #expect(throws: MotionError.badShape("render draws SMPL-22 joints (T, 22, 3)")) {
            try MotionRendering.render([JointPositions(frames: 3, joints: 21)], captions: [], to: dir.appendingPathComponent("x.gif"))
        }
    }

    @Test func mp4WhenFFmpegIsInstalled() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("irg-\(getpid()).mp4")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg") else {
            print("skipped: ffmpeg is not installed (apt-get install ffmpeg); .mp4 needs it")
            #expect(throws: MotionError.self) { try MotionRendering.render([try Self.clip()], captions: [], to: url) }
            return
        }
        try MotionRendering.render([try Self.clip()], captions: [], to: url)
        #expect(try Data(contentsOf: url).count > 1000)
    }
}

/// A GIF decoder for the test: header, global palette, extensions, LZW image data.
enum GIFDecoder {
    struct Bad: Error {}

    static func frames(_ gif: [UInt8]) throws -> [[UInt8]] {
        let width = Int(gif[6]) | Int(gif[7]) << 8, height = Int(gif[8]) | Int(gif[9]) << 8
        var i = 13 + (gif[10] & 0x80 != 0 ? 3 << (Int(gif[10] & 7) + 1) : 0)
        var frames: [[UInt8]] = []
        while i < gif.count {
            switch gif[i] {
            case 0x21:  // extension: label, then sub-blocks
                i += 2
                while gif[i] != 0 { i += Int(gif[i]) + 1 }
                i += 1
            case 0x2C:
                i += 10
                let minimum = Int(gif[i])
                i += 1
                var data: [UInt8] = []
                while gif[i] != 0 { data += gif[(i + 1)...(i + Int(gif[i]))]; i += Int(gif[i]) + 1 }
                i += 1
                let pixels = try lzw(data, minimum: minimum)
                guard pixels.count == width * height else { throw Bad() }
                frames.append(pixels)
            case 0x3B:
                return frames
            default:
                throw Bad()
            }
        }
        throw Bad()
    }

    static func lzw(_ data: [UInt8], minimum: Int) throws -> [UInt8] {
        let clear = 1 << minimum, end = clear + 1
        var table: [[UInt8]] = [], width = minimum + 1, out: [UInt8] = [], previous: [UInt8]? = nil
        func reset() { table = (0..<clear).map { [UInt8($0)] } + [[], []]; width = minimum + 1; previous = nil }
        reset()
        var bit = 0
        while bit + width <= data.count * 8 {
            var code = 0
            for k in 0..<width where data[(bit + k) / 8] & (1 << ((bit + k) % 8)) != 0 { code |= 1 << k }
            bit += width
            if code == clear { reset(); continue }
            if code == end { return out }
            let entry: [UInt8]
            if code < table.count { entry = table[code] } else if let p = previous { entry = p + [p[0]] } else { throw Bad() }
            out += entry
            if let p = previous, table.count < 4096 { table.append(p + [entry[0]]) }
            if table.count == 1 << width && width < 12 { width += 1 }
            previous = entry
        }
        throw Bad()
    }
}
