import ArgumentParser
import Foundation
import IRGNumerics
import IRGRPC
import IRGService

/// irg-tokenizer: the motion VQ-VAE (features <-> codes).
@main
struct TokenizerCommand: ServiceCommand {
    static let spec = ServiceSpec.tokenizer
    static let configuration = CommandConfiguration(
        commandName: spec.executable, abstract: "Serves the motion VQ-VAE: motion features <-> discrete codes.")

    @OptionGroup var service: ServiceCommandOptions

    @Option(help: "VQ-VAE checkpoint folder (vqvae.safetensors, mean.npy, std.npy, config.json).")
    var checkpoint: String?

    func implement(_ router: Router) throws {
        OpenBLASCoreType.preferSkylakeX()  // before loading weights: it restarts the process once
        do {
            try TokenizerService(checkpoint: checkpoint.map { URL(fileURLWithPath: $0) }).install(on: router)
        } catch {
            throw ValidationError("cannot load the checkpoint \(checkpoint ?? ""): \(error)")
        }
    }
}
