import Foundation
import IRGMotion

/// One clip of the real mocap in `shared/data`, with its label and how to load it.
struct SourceClip: Sendable {
    enum Origin: String, Sendable { case bandaiNamco1 = "bandai-namco-1", bandaiNamco2 = "bandai-namco-2", cmu }

    let origin: Origin
    /// File name without extension, e.g. "dataset-1_walk_happy_002" or "02_01".
    let name: String
    let path: URL
    let asf: URL?
    let phrasings: CaptionTemplates.Phrasings
    let style: CaptionTemplates.StyleWords?
    let content: String
    let styleName: String
    /// Takes of one clip share this: they land in one split.
    var groupKey: String { "\(origin.rawValue)|\(content)|\(styleName)" }

    func load() throws -> JointPositions {
        if let asf { return try MotionImport.amc(path, asf: asf) }
        return try MotionImport.bvh(path)
    }
}

enum SourceClips {
    /// Unpacks the archives of `shared/data` into `workDir` and lists every clip.
    static func unpack(_ data: URL, into workDir: URL) throws -> [SourceClip] {
        let archives = ["bandai-namco/dataset-1.tar.xz", "bandai-namco/dataset-2-subset.tar.xz", "cmu/cmu-subjects-01-03.tar.xz"]
        for archive in archives {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["tar", "-xJf", data.appendingPathComponent(archive).path, "-C", workDir.path]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw DatasetError("cannot unpack \(archive)") }
        }
        return try bandaiNamco(workDir) + cmu(workDir, descriptions: data.appendingPathComponent("cmu/descriptions.csv"))
    }

    static func bandaiNamco(_ root: URL) throws -> [SourceClip] {
        let folders: [(SourceClip.Origin, String)] = [
            (.bandaiNamco1, "dataset/Bandai-Namco-Research-Motiondataset-1/data"),
            (.bandaiNamco2, "Bandai-Namco-Research-Motiondataset-2/data"),
        ]
        var clips: [SourceClip] = []
        for (origin, folder) in folders {
            let dir = root.appendingPathComponent(folder)
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where file.hasSuffix(".bvh") {
                let name = String(file.dropLast(4))
                let parts = name.split(separator: "_").map(String.init)  // dataset-N, content, style, take
                guard parts.count == 4 else { throw DatasetError("unexpected Bandai-Namco file name \(file)") }
                guard let phrasings = CaptionTemplates.contents[parts[1]] else {
                    throw DatasetError("no caption templates for content '\(parts[1])' (\(file))")
                }
                guard let style = CaptionTemplates.styles[parts[2]] else {
                    throw DatasetError("no style words for '\(parts[2])' (\(file))")
                }
                clips.append(SourceClip(origin: origin, name: name, path: dir.appendingPathComponent(file), asf: nil,
                                        phrasings: phrasings, style: style, content: parts[1], styleName: parts[2]))
            }
        }
        return clips
    }

    static func cmu(_ root: URL, descriptions: URL) throws -> [SourceClip] {
        let lines = try String(contentsOf: descriptions, encoding: .utf8).split(separator: "\n").dropFirst()
        return try lines.map { line -> SourceClip in
            let fields = line.split(separator: ",", maxSplits: 2).map(String.init)
            guard fields.count == 3 else { throw DatasetError("bad line in descriptions.csv: \(line)") }
            let (subject, trial) = (fields[0], fields[1])
            let description = fields[2].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            guard let phrasings = CaptionTemplates.cmuPhrasings(for: description) else {
                throw DatasetError("no caption templates for CMU trial \(subject)_\(trial): \(description)")
            }
            let dir = root.appendingPathComponent("cmu-subjects-01-03/\(subject)")
            return SourceClip(origin: .cmu, name: "\(subject)_\(trial)", path: dir.appendingPathComponent("\(subject)_\(trial).amc"),
                              asf: dir.appendingPathComponent("\(subject).asf"), phrasings: phrasings, style: nil,
                              content: description, styleName: "normal")
        }
    }
}

public struct DatasetError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
