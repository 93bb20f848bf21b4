import ArgumentParser
import IRGService

/// irg-generator. Its own RPCs answer UNIMPLEMENTED until their issue lands;
/// Health, Reflection and Admin work now.
@main
struct GeneratorCommand: ServiceCommand {
    static let spec = ServiceSpec.generator
    static let configuration = CommandConfiguration(commandName: spec.executable, abstract: "Serves MotionLLM: text <-> motion codes, assessment and refinement.")

    @OptionGroup var service: ServiceCommandOptions
}
