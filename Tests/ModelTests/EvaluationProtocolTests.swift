import Foundation
@testable import IRGEvaluation
import IRGMetrics
import IRGModels
import IRGMotion
import IRGRPC
import IRGService
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

    /// A "model" that returns the ground-truth crop's length from its own
    /// motion; with `sampling`, shifted along the motion by its seed.
    struct FirstFrames: MotionSource {
        var sampling = false
        var samples: Bool { sampling }

        func motions(_ requests: [MotionRequest]) -> [MotionFeatures] {
            requests.map { request in
                let motion = request.item.motion
                let shift = sampling ? Int(request.seed % UInt64(motion.frames - request.frames + 1)) : 0
                return MotionFeatures(frames: request.frames, dim: 263,
                                      values: Array(motion.values[shift * 263 ..< (shift + request.frames) * 263]))
            }
        }
    }

    @Test func runsRepeatsAndReportsBothRows() async throws {
        let dir = try Self.dataset()
        defer { try? FileManager.default.removeItem(at: dir) }
        var evaluation = try EvaluationProtocol(checkpoint: EvaluatorCheckpoint(EvaluatorTests.fixture("small_f32")), items: TestSplit.load(dir))
        evaluation.repeats = 3
        evaluation.seed = 5
        // Off the cooperative pool, as services run models (see EvaluatorTests).
        let (report, calls, again) = try await ComputeQueue.run { [evaluation] in
            var calls: [(Int, Int)] = []
            let report = try evaluation.run(source: FirstFrames(), progress: { calls.append(($0, $1)) })
            return (report, calls.map { [$0.0, $0.1] }, try evaluation.run(source: FirstFrames()))
        }
        #expect(report.samples == 32 && report.repeats == 3)
        #expect(calls.count == 3 && calls.last! == [96, 96])
        #expect(report.model.perRepeat["fid"]?.count == 3 && report.groundTruth.perRepeat["fid"]?.count == 3)
        // Two independent draws of ground-truth crops are close, but not equal.
        #expect(report.groundTruth.fid!.mean > 0 && report.groundTruth.fid!.mean.isFinite)
        #expect(report.model.multimodality == nil && !report.markdown.contains("MultiModality"))
        #expect(report.model.diversity == nil)  // 32 samples cannot give 300 pairs
        #expect((0...1).contains(report.model.rPrecisionTop1.mean) && report.model.rPrecisionTop3.mean >= report.model.rPrecisionTop1.mean)
        #expect(report.markdown.contains("| Ground truth |") && report.markdown.contains("| Model |"))
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

    @Test func multimodalityNeedsASamplingModelAndIsReportedPerRepeat() async throws {
        let dir = try Self.dataset()
        defer { try? FileManager.default.removeItem(at: dir) }
        var evaluation = try EvaluationProtocol(checkpoint: EvaluatorCheckpoint(EvaluatorTests.fixture("small_f32")), items: TestSplit.load(dir))
        evaluation.repeats = 2
        evaluation.multimodality = MultiModalitySettings(texts: 8, samples: 12, pairs: 10)
        #expect(evaluation.motionsPerRepeat == 32 + 8 * 12)
        #expect(throws: MetricError.self) { try evaluation.run(source: FirstFrames()) }
        let (report, last) = try await ComputeQueue.run { [evaluation] in
            var last = (0, 0)
            return (try evaluation.run(source: FirstFrames(sampling: true), progress: { last = ($0, $1) }), [last.0, last.1])
        }
        #expect(last == [256, 256])
        let mm = try #require(report.model.multimodality)
        #expect(report.model.perRepeat["multimodality"]?.count == 2 && mm.mean > 0)
        #expect(report.groundTruth.multimodality == nil)
        #expect(report.markdown.contains("| MultiModality |"))
    }
}

/// Jobs run the protocol away from the caller, report progress, write the
/// report, and answer for finished jobs after a restart (from disk).
@Suite struct EvaluationJobsTests {
    @Test func aJobRunsToItsReportAndOutlivesTheRegistry() async throws {
        let dir = try EvaluationProtocolTests.dataset()
        defer { try? FileManager.default.removeItem(at: dir) }
        var evaluation = try EvaluationProtocol(checkpoint: EvaluatorCheckpoint(EvaluatorTests.fixture("small_f32")), items: TestSplit.load(dir))
        // The "model" returns each item's ground truth, one <item id>.npy each.
        let motions = dir.appendingPathComponent("generated")
        try FileManager.default.createDirectory(at: motions, withIntermediateDirectories: true)
        for item in evaluation.items { try item.motion.npy.write(motions.appendingPathComponent("\(item.id).npy")) }
        evaluation.repeats = 2
        let jobsFolder = dir.appendingPathComponent("jobs")
        let jobs = EvaluationJobs(folder: jobsFolder)
        let id = await jobs.start(evaluation, source: MotionFolder(motions), output: nil)
        var status = try await jobs.status(id)
        for _ in 0..<600 where status.state != .succeeded && status.state != .failed {
            try await Task.sleep(for: .milliseconds(50))
            status = try await jobs.status(id)
        }
        #expect(status.state == .succeeded, "\(status.error ?? "")")
        #expect(status.done == 64 && status.total == 64)
        #expect(FileManager.default.fileExists(atPath: jobsFolder.appendingPathComponent("\(id)/report.json").path))
        let restarted = try await EvaluationJobs(folder: jobsFolder).status(id)
        #expect(restarted.state == .succeeded && restarted.report == status.report)
        await #expect(throws: RPCError.self) { try await jobs.status("no-such-job") }
    }

    @Test func aMissingMotionFailsTheJobSayingWhich() async throws {
        let dir = try EvaluationProtocolTests.dataset()
        defer { try? FileManager.default.removeItem(at: dir) }
        let evaluation = try EvaluationProtocol(checkpoint: EvaluatorCheckpoint(EvaluatorTests.fixture("small_f32")), items: TestSplit.load(dir))
        let jobs = EvaluationJobs(folder: dir.appendingPathComponent("jobs"))
        let id = await jobs.start(evaluation, source: MotionFolder(dir.appendingPathComponent("texts")), output: nil)
        var status = try await jobs.status(id)
        for _ in 0..<600 where status.state != .failed && status.state != .succeeded {
            try await Task.sleep(for: .milliseconds(20))
            status = try await jobs.status(id)
        }
        #expect(status.state == .failed && status.error?.contains(".npy is missing") == true)
    }
}
