import ArgumentParser
import Foundation
import IRGRPC
import IRGService

/// irg-assessor: IRG-MotionLLM's GRPO rewards as a batched reward service.
@main
struct AssessorCommand: ServiceCommand {
    static let spec = ServiceSpec.assessor
    static let configuration = CommandConfiguration(commandName: spec.executable, abstract: "Serves IRG-MotionLLM's rewards (text-motion alignment, format, process, quality) for RL pipelines and the loop.")

    @OptionGroup var service: ServiceCommandOptions

    @Option(help: "Evaluator folder (Scripts/convert_evaluator.py). Default: the bundled demo evaluator, Models/demo/evaluator (with --no-demo-model, none: the quality and format terms work and the alignment terms answer FAILED_PRECONDITION).")
    var evaluator: String?

    @Option(help: "irg-tokenizer address, to decode requests that carry codes or transcripts with motion spans.")
    var tokenizer: String?

    @Option(help: "irg-generator address: enables the self_assessment term (its Score of \"No refinements needed.\").")
    var generator: String?

    @Option(help: "Most items in one AssessBatch (more: RESOURCE_EXHAUSTED).")
    var maxBatchItems = 256

    @Option(help: "Most frames in one motion (more: RESOURCE_EXHAUSTED).")
    var maxFrames = 4096

    func implement(_ router: Router) throws {
        var limits = AssessorService.Limits()
        (limits.maxItems, limits.maxFrames) = (maxBatchItems, maxFrames)
        let tokenizerClient = try tokenizer.map { try NngClient(dialing: [$0]) }
        let generatorClient = try generator.map { try NngClient(dialing: [$0]) }
        try loadModel(evaluator, demo: .evaluator) {
            try AssessorService(evaluator: $0, tokenizer: tokenizerClient, generator: generatorClient, limits: limits)
        }.install(on: router)
    }
}
