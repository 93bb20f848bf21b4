import ArgumentParser
import IRGService

/// irg-tokenizer. Its own RPCs answer UNIMPLEMENTED until their issue lands;
/// Health, Reflection and Admin work now.
@main
struct TokenizerCommand: ServiceCommand {
    static let spec = ServiceSpec.tokenizer
    static let configuration = CommandConfiguration(commandName: spec.executable, abstract: "Serves the motion VQ-VAE: motion features <-> discrete codes.")

    @OptionGroup var service: ServiceCommandOptions
}
