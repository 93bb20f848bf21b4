import ArgumentParser
import Foundation
import IRGMotion

/// `irg bench motion`: features (process_file) and recovery (recover_from_ric)
/// throughput over a folder of joint clips, against the NumPy reference in the same run.
struct MotionBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motion", abstract: "Feature extraction and recovery, frames/s, against the NumPy reference.")

    @Option(help: "Folder of (T, 22, 3) joint .npy files (e.g. a built dataset's new_joints/).")
    var joints: String

    @Option(help: "Joints .npy whose frame 0 is the target skeleton (the reference needs it; Swift has it built in).")
    var targetSkeleton: String = "../shared/data/humanml3d-samples/new_joints/000000.npy"

    @Option(help: "The reference script.")
    var reference: String = "Scripts/reference/bench_reference.py"

    @Option(help: "Swift repetitions (the best is reported).")
    var repeats: Int = 3

    func run() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: joints).filter { $0.hasSuffix(".npy") }.sorted()
        let clips = try files.map { try JointPositions(NPYArray.read(URL(fileURLWithPath: joints).appendingPathComponent($0))) }
        let frames = clips.reduce(0) { $0 + $1.frames }
        let features = try clips.map { try FeatureExtractor().features($0) }
        let featureFrames = features.reduce(0) { $0 + $1.frames }
        let peer = try runReference()
        let numpyFeatures = Double(frames) / peer.features, numpyRecover = Double(featureFrames) / peer.recover
        print("clips \(clips.count), joint frames \(frames), feature frames \(featureFrames); NumPy runs on 1 thread")
        print("stage      threads   swift frames/s   numpy frames/s   ratio")
        for threads in [1, ProcessInfo.processInfo.activeProcessorCount] {
            let f = best { forEachClip(clips.count, threads: threads) { _ = try? FeatureExtractor().features(clips[$0]) } }
            let r = best { forEachClip(features.count, threads: threads) { _ = try? FeatureRecovery.joints(features[$0], jointCount: 22) } }
            print(String(format: "features   %7d   %14.0f   %14.0f   %5.1fx", threads, Double(frames) / f, numpyFeatures,
                         Double(frames) / f / numpyFeatures))
            print(String(format: "recovery   %7d   %14.0f   %14.0f   %5.1fx", threads, Double(featureFrames) / r, numpyRecover,
                         Double(featureFrames) / r / numpyRecover))
        }
    }

    /// The best of `repeats` timings, in seconds.
    private func best(_ body: () -> Void) -> Double {
        (0..<max(1, repeats)).map { _ in
            let start = ContinuousClock.now
            body()
            return (ContinuousClock.now - start).seconds
        }.min()!
    }

    /// Clips are independent: with several threads each takes the next clip.
    private func forEachClip(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
        if threads == 1 { (0..<count).forEach(body); return }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    private func runReference() throws -> (features: Double, recover: Double) {
        let json = try runReferenceScript(reference, [joints, targetSkeleton])
        guard let f = json["features_seconds"] as? Double, let r = json["recover_seconds"] as? Double else {
            throw ValidationError("the reference script \(reference) printed no timings")
        }
        return (f, r)
    }
}
