import ArgumentParser
import Foundation
import IRGRPC
import IRGService

/// irg-evaluator: the text-motion matching evaluator and the benchmark metrics.
@main
struct EvaluatorCommand: ServiceCommand {
    static let spec = ServiceSpec.evaluator
    static let configuration = CommandConfiguration(commandName: spec.executable, abstract: "Serves the text-motion matching evaluator and benchmark metrics.")

    @OptionGroup var service: ServiceCommandOptions

    @Option(help: "Evaluator folder (evaluator.safetensors, mean.npy, std.npy, words.txt, word_vectors.npy; Scripts/convert_evaluator.py). Default: the bundled demo model, Models/demo/evaluator (with --no-demo-model, none: Embed and jobs answer FAILED_PRECONDITION; the metrics work).")
    var checkpoint: String?

    @Option(help: "Where reports of jobs started without an output_dir go (default ~/.local/state/irg/evaluator-jobs).")
    var jobsDir: String?

    func implement(_ router: Router) throws {
        let jobs = jobsDir.map { URL(fileURLWithPath: $0) } ?? EvaluatorService.defaultJobsFolder
        try loadModel(checkpoint, demo: .evaluator) { try EvaluatorService(checkpoint: $0, jobsFolder: jobs) }.install(on: router)
    }
}
