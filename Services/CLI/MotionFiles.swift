import Foundation
import IRGMotion
import IRGProto
import IRGService

/// A motion from the services written as a user opens it: joints as
/// motion.npy, features.npy, motion.bvh, and a rendered motion.gif and
/// motion.html captioned with `caption`.
enum MotionFiles {
    static let names = ["motion.npy", "features.npy", "motion.bvh", "motion.gif", "motion.html"]

    static func write(_ motion: Irg_V1_Motion, caption: String, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let features = try TensorMessages.features(of: motion, index: 0, dim: 263)
        let joints = motion.hasJoints ? try TensorMessages.joints(of: motion, index: 0)
                                      : try FeatureRecovery.joints(features, jointCount: 22)
        try joints.npy.write(folder.appendingPathComponent("motion.npy"))
        try features.npy.write(folder.appendingPathComponent("features.npy"))
        try BVHExport.bvh(joints).write(to: folder.appendingPathComponent("motion.bvh"), atomically: true, encoding: .utf8)
        for file in ["motion.gif", "motion.html"] {
            try MotionRendering.render([joints], captions: [caption], to: folder.appendingPathComponent(file))
        }
    }

    /// A motion file a user hands us, as the API's Motion: NPY features (T, 263)
    /// or joints (T, 22, 3), or a BVH (retargeted to the HumanML3D skeleton).
    static func read(_ path: String) throws -> Irg_V1_Motion {
        let url = URL(fileURLWithPath: path)
        switch url.pathExtension.lowercased() {
        case "npy":
            let array = try NPYArray.read(url)
            switch array.shape.count {
            case 2 where array.shape[1] == 263:
                return .with { $0.features = TensorMessages.tensor(shape: array.shape, values: array.floats()) }
            case 3 where array.shape[1] == 22 && array.shape[2] == 3:
                return .with { $0.joints = TensorMessages.tensor(shape: array.shape, values: array.floats()) }
            default:
                throw MotionFileError("\(path): an NPY motion is features (T, 263) or joints (T, 22, 3), not \(array.shape)")
            }
        case "bvh":
            let joints = try MotionImport.bvh(url)
            return .with { $0.joints = TensorMessages.tensor(shape: [joints.frames, joints.joints, 3], values: joints.values) }
        default:
            throw MotionFileError("\(path): send a motion as .npy (features or joints) or .bvh")
        }
    }

    struct MotionFileError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
