import Foundation
@testable import IRGDataset
import IRGMotion
import IRGService
import Testing

/// A quick build (4 clips per source) from the real data; skipped without ../shared.
@Suite(.serialized) struct DatasetBuildTests {
    static let sharedData: URL? = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { dir.deleteLastPathComponent() }
        let shared = dir.appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: shared.appendingPathComponent("bandai-namco").path) ? shared : nil
    }()

    @Test func buildsAHumanML3DLayoutDataset() async throws {
        guard let data = Self.sharedData else {
            print("skipped: ../shared/data is absent; the dataset builder needs the real mocap archives")
            return
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("irg-ds-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        var builder = DatasetBuilder(data: data, out: out)
        builder.limitPerSource = 4
        let report = try await ComputeQueue.run { [builder] in try builder.build() }
        #expect(report.sourceClips == ["bandai-namco-1": 4, "bandai-namco-2": 4, "cmu": 4])
        let all = try String(contentsOf: out.appendingPathComponent("all.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(all.count == report.motions && all.count % 2 == 0)

        var splitOf: [String: String] = [:]
        for split in ["train", "val", "test"] {
            for id in try String(contentsOf: out.appendingPathComponent("\(split).txt"), encoding: .utf8).split(separator: "\n") {
                #expect(splitOf[String(id)] == nil, "\(id) is in two splits")
                splitOf[String(id)] = split
            }
        }
        for id in all where !id.hasPrefix("M") {
            #expect(splitOf["M" + id] == splitOf[id], "mirror of \(id) is in another split")
            let features = try MotionFeatures(NPYArray.read(out.appendingPathComponent("new_joint_vecs/\(id).npy")), dim: 263)
            let joints = try JointPositions(NPYArray.read(out.appendingPathComponent("new_joints/\(id).npy")))
            #expect(joints.frames == features.frames && features.frames >= 19)
            // On the floor: the lowest joint over the clip is at height 0 (up to float rounding).
            let lowest = (0..<joints.frames).flatMap { t in (0..<22).map { joints[t, $0].y } }.min()!
            #expect(abs(lowest) < 1e-4, "\(id) lowest joint at \(lowest)")
            let lines = try String(contentsOf: out.appendingPathComponent("texts/\(id).txt"), encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 3 && lines.allSatisfy { $0.split(separator: "#").count == 4 })
        }
        let std = try NPYArray.read(out.appendingPathComponent("Std.npy")).floats()
        #expect(std.count == 263 && Set(std[4..<67]).count == 1 && Set(std[67..<193]).count == 1)
    }
}
