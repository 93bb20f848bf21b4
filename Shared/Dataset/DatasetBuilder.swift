import Foundation
import IRGMotion
import IRGNumerics
import IRGText

/// Builds a HumanML3D-layout dataset from the real mocap in `shared/data`:
/// new_joints/, new_joint_vecs/, texts/, Mean.npy, Std.npy, train/val/test/all.txt,
/// plus index.csv (where each motion came from) and report.json.
///
/// Decisions: clips are resampled to 20 fps; clips under `minFrames` are
/// dropped (counted in the report); longer than `maxFrames` are cut into
/// equal windows of at most `maxFrames`. Every motion has a mirrored copy
/// "M<id>" (x negated, left and right swapped, captions' left/right
/// swapped), as HumanML3D has. Splits (80/5/15) go by take group, so all
/// takes, windows and mirrors of one clip share a split; test motions get
/// only the held-out phrasings. Mean/Std are over the training split, with
/// HumanML3D's per-group averaged std. new_joints are recover_from_ric of
/// the features, as in HumanML3D.
public struct DatasetBuilder: Sendable {
    public var data: URL
    public var out: URL
    public var seed: UInt64 = 0
    public var captionsPerMotion = 3
    public var minFrames = 20
    public var maxFrames = 200
    /// Build from only the first N clips of each source (for quick checks); nil = all.
    public var limitPerSource: Int?

    public init(data: URL, out: URL) {
        self.data = data
        self.out = out
    }

    public func build(log: (String) -> Void = { _ in }) throws -> DatasetReport {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("irg-data-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var clips = try SourceClips.unpack(data, into: work)
        if let limit = limitPerSource {
            clips = Dictionary(grouping: clips, by: \.origin).values.flatMap { $0.prefix(limit) }
                .sorted { ($0.origin.rawValue, $0.name) < ($1.origin.rawValue, $1.name) }
        }
        log("importing \(clips.count) clips")
        let imported = try parallelMap(clips) { try $0.load() }

        var motions: [PlannedMotion] = []
        var dropped: [String: Int] = [:]
        for (clip, joints) in zip(clips, imported) {
            let windows = Self.windows(frames: joints.frames, minFrames: minFrames, maxFrames: maxFrames)
            if windows.isEmpty { dropped[clip.origin.rawValue, default: 0] += 1 }
            for window in windows {
                motions.append(PlannedMotion(id: String(format: "%06d", motions.count), clip: clip, joints: joints,
                                             window: window, split: split(of: clip)))
            }
        }
        for folder in ["new_joints", "new_joint_vecs", "texts"] {
            try FileManager.default.createDirectory(at: out.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        log("writing \(motions.count) motions and their mirrors")
        let written = try parallelMap(motions) { try write($0) }
        return try finish(motions, written: written.flatMap { $0 }, sources: clips, dropped: dropped)
    }

    /// Equal windows of at most `maxFrames`; none for clips under `minFrames`.
    static func windows(frames: Int, minFrames: Int, maxFrames: Int) -> [Range<Int>] {
        guard frames >= minFrames else { return [] }
        let count = (frames + maxFrames - 1) / maxFrames
        let length = (frames + count - 1) / count
        return (0..<count).map { $0 * length..<min(($0 + 1) * length, frames) }
    }

    func split(of clip: SourceClip) -> String {
        let draw = stableHash("\(seed)|\(clip.groupKey)") % 100
        return draw < 80 ? "train" : draw < 85 ? "val" : "test"
    }

    struct PlannedMotion: Sendable {
        let id: String
        let clip: SourceClip
        let joints: JointPositions
        let window: Range<Int>
        let split: String
    }

    struct WrittenMotion: Sendable {
        let id: String
        let split: String
        let jointFrames: Int
        let captions: Int
        let featureSum: [Double]
        let featureSquares: [Double]
        let featureFrames: Int
    }

    /// The motion and its mirror: features, recovered joints, captions.
    private func write(_ motion: PlannedMotion) throws -> [WrittenMotion] {
        let window = motion.joints.frames(motion.window)
        var writer = CaptionWriter(seed: stableHash("\(seed)|\(motion.id)"))
        let phrasings = motion.split == "test" ? motion.clip.phrasings.heldOut : motion.clip.phrasings.train
        let captions = writer.captions(phrasings, style: motion.clip.style, count: captionsPerMotion)
        return try [(motion.id, window, captions), ("M" + motion.id, window.mirrored(), captions.map(mirrorCaption))]
            .map { id, joints, captions in
                let features = try FeatureExtractor().features(joints)
                let recovered = try FeatureRecovery.joints(features, jointCount: 22)
                try features.npy.write(out.appendingPathComponent("new_joint_vecs/\(id).npy"))
                try recovered.npy.write(out.appendingPathComponent("new_joints/\(id).npy"))
                let lines = try captions.map { "\($0)#\(try CaptionTagger.tokens($0).joined(separator: " "))#0.0#0.0" }
                try (lines.joined(separator: "\n") + "\n").write(to: out.appendingPathComponent("texts/\(id).txt"),
                                                                  atomically: true, encoding: .utf8)
                var sum = [Double](repeating: 0, count: features.dim), squares = sum
                for t in 0..<features.frames {
                    for d in 0..<features.dim {
                        let v = Double(features.values[t * features.dim + d])
                        sum[d] += v
                        squares[d] += v * v
                    }
                }
                return WrittenMotion(id: id, split: motion.split, jointFrames: joints.frames, captions: lines.count,
                                     featureSum: sum, featureSquares: squares, featureFrames: features.frames)
            }
    }

    private func finish(_ motions: [PlannedMotion], written: [WrittenMotion], sources: [SourceClip],
                        dropped: [String: Int]) throws -> DatasetReport {
        for split in ["train", "val", "test"] {
            let ids = written.filter { $0.split == split }.map(\.id).sorted()
            try (ids.joined(separator: "\n") + "\n").write(to: out.appendingPathComponent("\(split).txt"), atomically: true, encoding: .utf8)
        }
        try (written.map(\.id).sorted().joined(separator: "\n") + "\n")
            .write(to: out.appendingPathComponent("all.txt"), atomically: true, encoding: .utf8)
        var index = "id,source,clip,start_frame,end_frame,split,content,style\n"
        for m in motions {
            index += "\(m.id),\(m.clip.origin.rawValue),\(m.clip.name),\(m.window.lowerBound),\(m.window.upperBound),\(m.split),\"\(m.clip.content)\",\(m.clip.styleName)\n"
        }
        try index.write(to: out.appendingPathComponent("index.csv"), atomically: true, encoding: .utf8)

        let train = written.filter { $0.split == "train" }
        let (mean, std) = NormalizationStats.humanML3D(train.map { ($0.featureSum, $0.featureSquares, $0.featureFrames) })
        try NPYArray(shape: [mean.count], floats: mean).write(out.appendingPathComponent("Mean.npy"))
        try NPYArray(shape: [std.count], floats: std).write(out.appendingPathComponent("Std.npy"))

        let report = DatasetReport(
            sourceClips: Dictionary(grouping: sources, by: \.origin.rawValue).mapValues(\.count),
            droppedClips: dropped,
            motions: written.count,
            motionsPerSplit: Dictionary(grouping: written, by: \.split).mapValues(\.count),
            hours: Double(written.reduce(0) { $0 + $1.jointFrames }) / 20 / 3600,
            captions: written.reduce(0) { $0 + $1.captions },
            mean: mean, std: std)
        let json = try JSONEncoder.pretty.encode(report)
        try json.write(to: out.appendingPathComponent("report.json"))
        return report
    }
}

/// What a build made, written as report.json.
public struct DatasetReport: Codable, Sendable {
    public let sourceClips: [String: Int]
    public let droppedClips: [String: Int]
    /// Including mirrored copies.
    public let motions: Int
    public let motionsPerSplit: [String: Int]
    /// Of all motions, mirrors included, at 20 fps.
    public let hours: Double
    public let captions: Int
    public let mean: [Float]
    public let std: [Float]
}

extension JSONEncoder {
    static var pretty: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return e
    }
}

extension JointPositions {
    func frames(_ range: Range<Int>) -> JointPositions {
        JointPositions(frames: range.count, joints: joints,
                       values: Array(values[(range.lowerBound * joints * 3)..<(range.upperBound * joints * 3)]))
    }

    /// HumanML3D's mirror: x negated and left/right joints swapped.
    func mirrored() -> JointPositions {
        let swap = [0, 2, 1, 3, 5, 4, 6, 8, 7, 9, 11, 10, 12, 14, 13, 15, 17, 16, 19, 18, 21, 20]
        var out = self
        for t in 0..<frames {
            for j in 0..<joints {
                let p = self[t, swap[j]]
                out[t, j] = SIMD3(-p.x, p.y, p.z)
            }
        }
        return out
    }
}

/// Maps clips in parallel (they are independent), keeping order; the first error wins.
func parallelMap<T: Sendable, U: Sendable>(_ items: [T], _ body: @Sendable (T) throws -> U) throws -> [U] {
    let results = UnsafeMutableBufferPointer<Result<U, Error>?>.allocate(capacity: items.count)
    results.initialize(repeating: nil)
    defer { results.deallocate() }
    nonisolated(unsafe) let slots = results
    DispatchQueue.concurrentPerform(iterations: items.count) { i in
        slots[i] = Result { try body(items[i]) }
    }
    return try results.map { try $0!.get() }
}
