import ArgumentParser
import Foundation
import IRGMotion

/// `irg motion ...`: convert, import and look at motions.
struct MotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motion", abstract: "Convert, import and render motions.",
        subcommands: [FeaturesCommand.self, JointsCommand.self])
}

/// Runs a motion command body; any error becomes one line naming the file, and exit 1.
func motionStep<T>(_ file: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        FileHandle.standardError.write(Data("error: \(file): \(error)\n".utf8))
        throw ExitCode.failure
    }
}

struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features", abstract: "Joints (T, 22, 3) -> HumanML3D features (T-1, 263) (process_file).")

    @Argument(help: "Joint positions .npy, float32 or float64, metres, Y up.")
    var input: String

    @Option(help: "Output .npy (float32).")
    var out: String

    @Option(help: "Foot contact threshold (squared metres per frame).")
    var feetThreshold: Float = 0.002

    @Option(help: "Joints .npy whose frame 0 defines the target skeleton (default: HumanML3D's).")
    var targetSkeleton: String?

    func run() throws {
        var extractor = FeatureExtractor(feetThreshold: feetThreshold)
        if let targetSkeleton {
            let pose = try motionStep(targetSkeleton) { try JointPositions(NPYArray.read(URL(fileURLWithPath: targetSkeleton))) }
            extractor = FeatureExtractor(
                targetOffsets: FeatureExtractor.offsets(ofPose: (0..<pose.joints).map { pose[0, $0] }, skeleton: .humanML3D),
                feetThreshold: feetThreshold)
        }
        let joints = try motionStep(input) { try JointPositions(NPYArray.read(URL(fileURLWithPath: input))) }
        let features = try motionStep(input) { try extractor.features(joints) }
        try motionStep(out) { try features.npy.write(URL(fileURLWithPath: out)) }
    }
}

struct JointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "joints", abstract: "HumanML3D features (N, 263) -> joints (N, 22, 3) (recover_from_ric).")

    @Argument(help: "Features .npy (un-normalised), float32 or float64.")
    var input: String

    @Option(help: "Output .npy (float32).")
    var out: String

    func run() throws {
        let features = try motionStep(input) {
            try MotionFeatures(NPYArray.read(URL(fileURLWithPath: input)), dim: Skeleton.humanML3D.featureDim)
        }
        let joints = try motionStep(input) { try FeatureRecovery.joints(features, jointCount: 22) }
        try motionStep(out) { try joints.npy.write(URL(fileURLWithPath: out)) }
    }
}
