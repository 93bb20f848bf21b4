import Foundation

/// Renders motions to a file by its extension: .gif, .png (a contact sheet
/// of 8 frames), .html (interactive), .mp4 (through ffmpeg when installed).
public enum MotionRendering {
    public static func render(_ motions: [JointPositions], captions: [String], to url: URL, fps: Double = 20) throws {
        guard motions.allSatisfy({ $0.joints == 22 }) else {
            throw MotionError.badShape("render draws SMPL-22 joints (T, 22, 3)")
        }
        switch url.pathExtension.lowercased() {
        case "html":
            try HTMLRenderer.page(motions, captions: captions, fps: fps).write(to: url, atomically: true, encoding: .utf8)
        case "gif":
            let frames = StickFigureRenderer().frames(motions, captions: captions)
            let gif = GIFWriter.gif(frames, palette: Palette.rgb, delayCentiseconds: Int((100 / fps).rounded()))
            try Data(gif).write(to: url)
        case "png":
            let frames = StickFigureRenderer().frames(motions, captions: captions)
            try Data(PNGWriter.png(.contactSheet(frames, count: 8), palette: Palette.rgb)).write(to: url)
        case "mp4":
            try video(StickFigureRenderer().frames(motions, captions: captions), fps: fps, to: url)
        default:
            throw MotionError.parse("render writes .gif, .png, .html or .mp4, not '.\(url.pathExtension)'")
        }
    }

    /// Pipes RGB frames to ffmpeg (Debian's `ffmpeg` package).
    static func video(_ frames: [Canvas], fps: Double, to url: URL) throws {
        guard let ffmpeg = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].first(where: FileManager.default.isExecutableFile) else {
            throw MotionError.parse("mp4 needs ffmpeg (apt-get install ffmpeg); .gif and .html need nothing")
        }
        let width = frames[0].width, height = frames[0].height + frames[0].height % 2
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = ["-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)",
                             "-r", "\(fps)", "-i", "-", "-pix_fmt", "yuv420p", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", url.path]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        for frame in frames {
            var rgb = [UInt8](repeating: 255, count: width * height * 3)
            for (i, index) in frame.pixels.enumerated() {
                let c = Palette.rgb[Int(index)]
                (rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]) = (c.0, c.1, c.2)
            }
            input.fileHandleForWriting.write(Data(rgb))
        }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw MotionError.parse("ffmpeg failed with status \(process.terminationStatus)") }
    }
}
