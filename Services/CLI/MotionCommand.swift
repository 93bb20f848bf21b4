import ArgumentParser
import Foundation
import IRGMotion

/// `irg motion ...`: convert, import and look at motions.
struct MotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motion", abstract: "Convert, import and render motions.",
        subcommands: [ImportCommand.self, FeaturesCommand.self, JointsCommand.self, ExportBVHCommand.self, RenderCommand.self])
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

    @Option(help: "humanml3d (22 joints, metres, 263 dims) or kit (21 joints, millimetres, 251 dims).")
    var skeleton: String = "humanml3d"

    @Option(help: "Foot contact threshold (squared units per frame); default 0.002 for humanml3d, 0.05 for kit.")
    var feetThreshold: Float?

    @Option(help: "Joints .npy whose frame 0 defines the target skeleton (default: HumanML3D's; required for kit).")
    var targetSkeleton: String?

    func run() throws {
        let skel: Skeleton
        switch skeleton {
        case "humanml3d": skel = .humanML3D
        case "kit": skel = .kit
        default: throw ValidationError("--skeleton must be humanml3d or kit")
        }
        let threshold = feetThreshold ?? (skel.name == "kit" ? 0.05 : 0.002)
        var extractor = FeatureExtractor(skeleton: skel, feetThreshold: threshold)
        if let targetSkeleton {
            let pose = try motionStep(targetSkeleton) { try JointPositions(NPYArray.read(URL(fileURLWithPath: targetSkeleton))) }
            extractor = FeatureExtractor(
                skeleton: skel, targetOffsets: FeatureExtractor.offsets(ofPose: (0..<pose.joints).map { pose[0, $0] }, skeleton: skel),
                feetThreshold: threshold)
        } else if skel.name == "kit" {
            throw ValidationError("--skeleton kit needs --target-skeleton (no KIT target is built in)")
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

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "BVH (or CMU ASF/AMC) -> SMPL-22 joints (T, 22, 3): metres, Y up, 20 fps, the file's world frame.")

    @Argument(help: "A .bvh file, or an .amc file with --asf.")
    var input: String

    @Option(help: "The ASF skeleton of an .amc file.")
    var asf: String?

    @Option(help: "Output .npy (float32).")
    var out: String

    @Option(help: "File units to metres for BVH (default 0.01: centimetres).")
    var scale: Double = 0.01

    func run() throws {
        let url = URL(fileURLWithPath: input)
        let joints = try motionStep(input) { () throws -> JointPositions in
            if url.pathExtension.lowercased() == "amc" {
                guard let asf else { throw ValidationError("an .amc file needs --asf FILE.asf") }
                return try MotionImport.amc(url, asf: URL(fileURLWithPath: asf))
            }
            return try MotionImport.bvh(url, scale: scale)
        }
        try motionStep(out) { try joints.npy.write(URL(fileURLWithPath: out)) }
    }
}

struct ExportBVHCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-bvh", abstract: "SMPL-22 joints (T, 22, 3), metres, 20 fps -> BVH (centimetres).")

    @Argument(help: "Joint positions .npy.")
    var input: String

    @Option(help: "Output .bvh.")
    var out: String

    func run() throws {
        let joints = try motionStep(input) { () throws -> JointPositions in
            let joints = try JointPositions(NPYArray.read(URL(fileURLWithPath: input)))
            guard joints.joints == 22 else { throw MotionError.badShape("export-bvh needs 22 joints, got \(joints.joints)") }
            return joints
        }
        try motionStep(out) { try BVHExport.bvh(joints).write(toFile: out, atomically: true, encoding: .utf8) }
    }
}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw SMPL-22 joints as stick figures: .gif, .png (8-frame sheet), .html (rotate and scrub), .mp4 (ffmpeg).")

    @Argument(help: "Joint .npy files (T, 22, 3), drawn side by side.")
    var inputs: [String]

    @Option(help: "Output file; its extension picks the format.")
    var out: String

    @Option(help: "A caption per motion (repeat in order).")
    var caption: [String] = []

    @Option(help: "Frames per second of the joints.")
    var fps: Double = 20

    func run() throws {
        let motions = try inputs.map { file in
            try motionStep(file) { try JointPositions(NPYArray.read(URL(fileURLWithPath: file))) }
        }
        try motionStep(out) { try MotionRendering.render(motions, captions: caption, to: URL(fileURLWithPath: out), fps: fps) }
    }
}
