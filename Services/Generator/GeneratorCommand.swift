import ArgumentParser
import Foundation
import IRGModels
import IRGRPC
import IRGService

/// irg-generator: MotionLLM (Gemma2 + LoRA + the 514 motion tokens).
@main
struct GeneratorCommand: ServiceCommand {
    static let spec = ServiceSpec.generator
    static let configuration = CommandConfiguration(commandName: spec.executable, abstract: "Serves MotionLLM: text <-> motion codes, assessment and refinement.")

    @OptionGroup var service: ServiceCommandOptions

    @Option(help: "HF Gemma2 model folder with the motion tokens (config.json, safetensors, tokenizer.json, irg_options.json). Default: the bundled demo model, Models/demo/motionllm (with --no-demo-model, none: the methods answer FAILED_PRECONDITION).")
    var model: String?

    @Option(name: .customLong("adapter"), help: "NAME=DIR: a peft LoRA adapter folder served under NAME (repeatable; Motion-Agent's are t2m and m2t).")
    var adapters: [String] = []

    @Option(help: "Most sequences decoded together in one batch.")
    var maxBatch = 8

    @Option(help: "Megabytes of prompt keys/values kept for reuse by later prompts with the same start (0: off).")
    var prefixCacheMb = 1024

    func implement(_ router: Router) throws {
        let adapters = try adapters.map(Self.namedFolder)
        var llm = try loadModel(model, demo: .motionllm) { folder in try folder.map { try MotionLLM(folder: $0, adapters: adapters) } }
        if prefixCacheMb > 0 { llm?.prefixCache = PrefixCache(capacityBytes: prefixCacheMb << 20) }
        GeneratorService(llm: llm, maxBatch: maxBatch).install(on: router)
    }

    static func namedFolder(_ text: String) throws -> (name: String, folder: URL) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ValidationError("--adapter takes NAME=DIR, e.g. t2m=/models/motionllm/t2m; got '\(text)'")
        }
        return (parts[0], URL(fileURLWithPath: parts[1]))
    }
}
