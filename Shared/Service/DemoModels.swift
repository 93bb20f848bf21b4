import Foundation

/// The demo models bundled in the repository's `Models/demo/` (trained by
/// `Scripts/train/train_demo.sh` on the shipped mocap; CC BY-NC 4.0). A
/// service started without a model option loads its part from here, so a
/// fresh clone serves real models.
///
/// Where: `$IRG_DEMO_MODELS` when set (`none` turns the default off), else the
/// first `Models/demo` found walking up from the executable (it sits in
/// `.build/<config>/` of the checkout), else from the working directory.
public enum DemoModels {
    public enum Part: String, Sendable, CaseIterable {
        case tokenizer, evaluator, motionllm
        case motionAgentTextToMotion = "motion-agent/t2m"
        case motionAgentCaption = "motion-agent/m2t"
    }

    public static let environmentKey = "IRG_DEMO_MODELS"

    /// The bundled folder of `part`, or nil when there is none (or the default is off).
    public static func folder(_ part: Part, environment: [String: String] = ProcessInfo.processInfo.environment,
                              executable: URL = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0]),
                              workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> URL? {
        if let root = environment[environmentKey], !root.isEmpty {
            if root == "none" { return nil }
            return existing(URL(fileURLWithPath: root).appendingPathComponent(part.rawValue))
        }
        for start in [executable.resolvingSymlinksInPath().deletingLastPathComponent(), workingDirectory] {
            var folder = start.standardizedFileURL
            for _ in 0..<8 {
                if let found = existing(folder.appendingPathComponent("Models/demo").appendingPathComponent(part.rawValue)) {
                    return found
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return nil
    }

    static func existing(_ url: URL) -> URL? {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue ? url : nil
    }
}
