import ArgumentParser
import Foundation
import IRGEvaluation
import IRGModels
import IRGMotion
import IRGNumerics
import IRGService

/// `irg eval run`: the full HumanML3D protocol against a generator service
/// (its codes decoded by a tokenizer service) or pre-generated motions, with a
/// progress bar, writing report.json, report.md and metrics.png.
struct EvalRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The HumanML3D evaluation protocol (test split, 40 <= T < 200, batches of 32, repeats) with a report.")

    @Option(help: "Dataset in HumanML3D's layout (<split>.txt, new_joint_vecs/, texts/).")
    var dataset: String

    @Option(help: "Folder of the model's motions: <id>.npy features (T, 263), one per test motion.")
    var motions: String?

    @Option(help: "Generator address (an irg-generator); its codes are decoded by --tokenizer.")
    var generator: String?

    @Option(help: "Tokenizer address (an irg-tokenizer) that decodes the generator's codes.")
    var tokenizer = ServiceSpec.tokenizer.defaultAddress

    @OptionGroup(title: "Generation (with --generator)") var generation: GenerationOptionGroup

    @Option(help: "Orchestrator address (an irg-orchestrator): each caption goes through its loop; the motion is decoded by --tokenizer.")
    var orchestrator: String?

    @OptionGroup(title: "Loop (with --orchestrator; --greedy, --temperature, --top-k, --top-p apply too)") var loop: LoopOptionGroup

    enum Take: String, ExpressibleByArgument { case best, final }
    @Option(help: "With --orchestrator, which motion of a loop is evaluated: best (the reply's, chosen by the assessor's reward) or final (the last round's, as IRG evaluates).")
    var take = Take.best

    @Flag(help: "Also MultiModality: 100 texts x 30 motions per repeat (needs a sampling --generator).")
    var multimodality = false

    @Option(help: "Evaluator folder (Scripts/convert_evaluator.py); default $IRG_EVALUATOR.")
    var evaluator: String?

    @Option var split = "test"
    @Option var repeats = 20
    @Option(help: "Seed of the shuffles, captions, crops and Diversity pairs.")
    var seed: UInt32 = 0

    @Option(help: "Folder for report.json, report.md and metrics.png.")
    var out: String

    func validate() throws {
        guard [motions, generator, orchestrator].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --motions DIR, --generator ADDR and --orchestrator ADDR")
        }
        guard evaluatorFolder != nil else {
            throw ValidationError("give --evaluator DIR (or set IRG_EVALUATOR); no bundled demo evaluator was found")
        }
        guard repeats > 0 else { throw ValidationError("--repeats must be positive") }
        guard !multimodality || ((generator ?? orchestrator) != nil && !generation.greedy) else {
            throw ValidationError("--multimodality needs several motions per text: a --generator or --orchestrator without --greedy")
        }
    }

    func run() throws {
        OpenBLASCoreType.preferSkylakeX()
        let folder = evaluatorFolder!
        let checkpoint = try motionStep(folder) { try EvaluatorCheckpoint(URL(fileURLWithPath: folder)) }
        let items = try motionStep(dataset) { try TestSplit.load(URL(fileURLWithPath: dataset), split: split) }
        var evaluation = EvaluationProtocol(checkpoint: checkpoint, items: items)
        evaluation.repeats = repeats
        evaluation.seed = seed
        if multimodality { evaluation.multimodality = MultiModalitySettings() }
        let source = try motionSource()
        let bar = ProgressBar()
        let report = try motionStep(dataset) {
            try evaluation.run(source: source, progress: { bar.show(done: $0, total: $1) })
        }
        bar.finish()
        try motionStep(out) { try report.write(to: URL(fileURLWithPath: out)) }
        print(report.markdown, terminator: "")
        print("wrote \(out)/report.json, report.md, metrics.png")
    }

    /// --evaluator, $IRG_EVALUATOR, or the bundled demo evaluator.
    private var evaluatorFolder: String? {
        evaluator ?? ProcessInfo.processInfo.environment["IRG_EVALUATOR"] ?? DemoModels.folder(.evaluator)?.path
    }

    private func motionSource() throws -> MotionSource {
        let token = ProcessInfo.processInfo.environment["IRG_AUTH_TOKEN"]
        if let generator {
            return try serving(GeneratorMotionSource(generator: generator, tokenizer: tokenizer, options: generation.message, authToken: token))
        }
        if let orchestrator {
            return try serving(OrchestratorMotionSource(orchestrator: orchestrator, tokenizer: tokenizer,
                                                        loop: loop.message(sampling: generation.message.sampling),
                                                        take: take == .final ? .final : .best, authToken: token))
        }
        return MotionFolder(URL(fileURLWithPath: motions!))
    }

    private func serving(_ source: some ServiceBackedMotionSource) throws -> MotionSource {
        do {
            try waitFor { try await source.checkServing(timeoutMilliseconds: 5_000) }
        } catch {
            throw reportFailure(error)
        }
        return source
    }
}

/// One line on stderr, redrawn: a bar, samples done, samples/s and the time left.
struct ProgressBar {
    let start = ContinuousClock.now

    func show(done: Int, total: Int) {
        let elapsed = (ContinuousClock.now - start).seconds
        let rate = Double(done) / max(elapsed, 1e-9)
        let left = Double(total - done) / max(rate, 1e-9)
        let filled = total == 0 ? 0 : 30 * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        let line = String(format: "\r[%@] %3d%% %d/%d samples, %.1f samples/s, ETA %d:%02d", bar, total == 0 ? 0 : 100 * done / total,
                          done, total, rate, Int(left) / 60, Int(left) % 60)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
