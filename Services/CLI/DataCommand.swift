import ArgumentParser
import Foundation
import IRGDataset

/// `irg data ...`: datasets.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Build datasets.", subcommands: [DataBuildCommand.self])
}

struct DataBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Turn the real mocap in shared/data into a HumanML3D-layout dataset.")

    @Option(help: "Output folder.")
    var out: String

    @Option(help: "The shared data folder (Bandai-Namco archives, CMU, HumanML3D samples).")
    var data: String = "../shared/data"

    @Option(help: "Seed for splits and captions.")
    var seed: UInt64 = 0

    @Option(help: "Use only the first N clips of each source (a quick build).")
    var limit: Int?

    func run() throws {
        var builder = DatasetBuilder(data: URL(fileURLWithPath: data), out: URL(fileURLWithPath: out))
        builder.seed = seed
        builder.limitPerSource = limit
        let start = Date()
        let report = try builder.build { print($0) }
        print("source clips: \(counts(report.sourceClips))")
        print("dropped (under 1 s): \(counts(report.droppedClips))")
        print("motions (with mirrors): \(report.motions); per split: \(counts(report.motionsPerSplit))")
        print(String(format: "hours: %.2f; captions: %d; built in %.1f s", report.hours, report.captions, Date().timeIntervalSince(start)))
        print("report: \(out)/report.json")
    }

    /// "a 1, b 2": counts by name, in name order.
    private func counts(_ byName: [String: Int]) -> String {
        byName.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
