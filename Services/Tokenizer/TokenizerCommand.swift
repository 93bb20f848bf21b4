import ArgumentParser
import IRGRPC
import IRGService

/// irg-tokenizer: the motion VQ-VAE (features <-> codes).
@main
struct TokenizerCommand: ServiceCommand {
    static let spec = ServiceSpec.tokenizer
    static let configuration = CommandConfiguration(
        commandName: spec.executable, abstract: "Serves the motion VQ-VAE: motion features <-> discrete codes.")

    @OptionGroup var service: ServiceCommandOptions

    @Option(help: "VQ-VAE checkpoint folder (vqvae.safetensors, mean.npy, std.npy, config.json). Default: the bundled demo model, Models/demo/tokenizer.")
    var checkpoint: String?

    func implement(_ router: Router) throws {
        try loadModel(checkpoint, demo: .tokenizer, TokenizerService.init(checkpoint:)).install(on: router)
    }
}
