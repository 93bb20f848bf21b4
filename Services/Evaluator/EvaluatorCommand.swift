import ArgumentParser
import IRGRPC
import IRGService

/// irg-evaluator: the text-motion matching evaluator and the benchmark metrics.
@main
struct EvaluatorCommand: ServiceCommand {
    static let spec = ServiceSpec.evaluator
    static let configuration = CommandConfiguration(commandName: spec.executable, abstract: "Serves the text-motion matching evaluator and benchmark metrics.")

    @OptionGroup var service: ServiceCommandOptions

    @Option(help: "Evaluator folder (evaluator.safetensors, mean.npy, std.npy, words.txt, word_vectors.npy; Scripts/convert_evaluator.py). Without it, Embed answers FAILED_PRECONDITION; the metrics work.")
    var checkpoint: String?

    func implement(_ router: Router) throws {
        try loadModel(checkpoint, EvaluatorService.init(checkpoint:)).install(on: router)
    }
}
