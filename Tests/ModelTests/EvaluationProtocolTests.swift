import Foundation
@testable import IRGEvaluation
import IRGModels
import IRGMotion
import Testing

/// The HumanML3D protocol end to end on a small dataset in HumanML3D's layout
/// (crops of 012314 with the fixture captions) and the small evaluator.
@Suite struct EvaluationProtocolTests {
    /// 40 motions of 40..196 frames, one too short, one with a captioned span.
    static func dataset() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("irg-eval-\(UUID().uuidString)")
        for folder in ["new_joint_vecs", "texts"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let base = try VQVAETests.motionFixture("012314")
        var ids: [String] = []
        for i in 0..<42 {
            let frames = i == 41 ? 30 : 40 + (i * 37) % 157
            let id = String(format: "%06d", i)
            let values = (0..<frames).flatMap { base.row(($0 + i * 3) % base.frames) }
            try MotionFeatures(frames: frames, dim: 263, values: values).npy.write(dir.appendingPathComponent("new_joint_vecs/\(id).npy"))
            var lines = (0..<2).map { "caption\($0)#\(EvaluatorTests.captions[(i + $0) % EvaluatorTests.captions.count])#0.0#0.0" }
            if i == 7 { lines.append("a span#walk/VERB#0.5#3.0") }
            try lines.joined(separator: "\n").write(to: dir.appendingPathComponent("texts/\(id).txt"), atomically: true, encoding: .utf8)
            ids.append(id)
        }
        try ids.joined(separator: "\n").write(to: dir.appendingPathComponent("test.txt"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func loadsTheSplitAsTheReference() throws {
        let dir = try Self.dataset()
        defer { try? FileManager.default.removeItem(at: dir) }
        let items = try TestSplit.load(dir)
        #expect(items.count == 42)  // 41 long enough + the 50-frame span of 000007
        let span = try #require(items.first { $0.id == "000007#2" })
        #expect(span.motion.frames == 50 && span.captions == [.init(text: "a span", tagged: "walk/VERB")])
        #expect(items.first { $0.id == "000041" } == nil)
    }

    @Test func runsRepeatsAndReportsBothRows() throws {
        let dir = try Self.dataset()
        defer { try? FileManager.default.removeItem(at: dir) }
        var evaluation = try EvaluationProtocol(checkpoint: EvaluatorCheckpoint(EvaluatorTests.fixture("small_f32")), items: TestSplit.load(dir))
        evaluation.repeats = 3
        evaluation.seed = 5
        var calls: [(Int, Int)] = []
        // A "model" that returns the ground-truth crop's length from its own motion.
        let report = try evaluation.run(generate: { item, _, frames in
            MotionFeatures(frames: frames, dim: 263, values: Array(item.motion.values.prefix(frames * 263)))
        }, progress: { calls.append(($0, $1)) })
        #expect(report.samples == 32 && report.repeats == 3)
        #expect(calls.count == 3 && calls.last! == (96, 96))
        #expect(report.model.perRepeat["fid"]?.count == 3 && report.groundTruth.fid == nil)
        #expect(report.model.diversity == nil)  // 32 samples cannot give 300 pairs
        #expect((0...1).contains(report.model.rPrecisionTop1.mean) && report.model.rPrecisionTop3.mean >= report.model.rPrecisionTop1.mean)
        #expect(report.markdown.contains("| Ground truth |") && report.markdown.contains("| Model |"))
        let again = try evaluation.run(generate: { item, _, frames in
            MotionFeatures(frames: frames, dim: 263, values: Array(item.motion.values.prefix(frames * 263)))
        })
        #expect(again == report, "the same seed gives the same report")

        let out = dir.appendingPathComponent("report")
        try report.write(to: out)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as! [String: Any]
        #expect(Set(json.keys) == ["ground_truth", "model", "samples", "repeats", "seed"])
        let fid = ((json["model"] as! [String: Any])["fid"] as! [String: Double])["mean"]!
        #expect(abs(fid - report.model.fid!.mean) <= 1e-12 * fid)
        #expect(try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8) == report.markdown)
        #expect(try Data(contentsOf: out.appendingPathComponent("metrics.png")).prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
    }
}
