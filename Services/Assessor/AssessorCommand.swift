import ArgumentParser
import IRGService

/// irg-assessor. Its own RPCs answer UNIMPLEMENTED until their issue lands;
/// Health, Reflection and Admin work now.
@main
struct AssessorCommand: ServiceCommand {
    static let spec = ServiceSpec.assessor
    static let configuration = CommandConfiguration(commandName: spec.executable, abstract: "Serves a reward model for text-motion alignment and physical quality.")

    @OptionGroup var service: ServiceCommandOptions
}
