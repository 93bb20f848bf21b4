import ArgumentParser
import IRGProto

/// How a command asks irg-generator for motions: adapter, prompt format and
/// sampling, as the API's GenerationOptions (zeros mean the server's defaults).
struct GenerationOptionGroup: ParsableArguments {
    enum Format: String, ExpressibleByArgument { case irg, motionAgent = "motion-agent" }

    @Option(help: "LoRA adapter by name (default: the task's, t2m).")
    var adapter = ""
    @Option(help: "Prompt template: irg or motion-agent.")
    var format = Format.irg
    @Flag(help: "Argmax decoding (one motion per caption: no MultiModality).")
    var greedy = false
    @Option(help: "Sampling temperature (default: the server's, 1.0).")
    var temperature: Float = 0
    @Option(help: "Keep the k most likely tokens (0: no cut).")
    var topK: UInt32 = 0
    @Option(help: "Nucleus sampling mass in (0, 1] (0: no cut).")
    var topP: Float = 0
    @Option(help: "Token limit per motion (0: the task's default).")
    var maxNewTokens: UInt32 = 0

    func validate() throws {
        guard temperature >= 0, temperature.isFinite else { throw ValidationError("--temperature must be >= 0") }
        guard (0...1).contains(topP) else { throw ValidationError("--top-p must be in (0, 1]") }
    }

    var message: Irg_V1_GenerationOptions {
        .with {
            $0.sampling = .with {
                $0.greedy = greedy
                $0.temperature = temperature
                $0.topK = topK
                $0.topP = topP
                $0.maxNewTokens = maxNewTokens
            }
            $0.adapter = adapter
            $0.format = format == .irg ? .irg : .motionAgent
        }
    }
}
