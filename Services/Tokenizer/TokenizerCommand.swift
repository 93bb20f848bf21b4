import ArgumentParser
import IRGService

/// irg-tokenizer: the motion VQ-VAE: motion features <-> discrete codes.
/// Its RPCs answer UNIMPLEMENTED until their issue lands; Health,
/// Reflection and Admin work now.
@main
struct TokenizerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "irg-tokenizer",
        abstract: "Serves the motion VQ-VAE: motion features <-> discrete codes.")

    @OptionGroup var service: ServiceCommandOptions

    func run() async throws {
        try await ServiceHost.run(.tokenizer, options: service)
    }
}
