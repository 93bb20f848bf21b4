import ArgumentParser
import IRGService

/// irg-orchestrator. Its own RPCs answer UNIMPLEMENTED until their issue lands;
/// Health, Reflection and Admin work now.
@main
struct OrchestratorCommand: ServiceCommand {
    static let spec = ServiceSpec.orchestrator
    static let configuration = CommandConfiguration(commandName: spec.executable, abstract: "Serves the interleaved generate-assess-refine loop and sessions.")

    @OptionGroup var service: ServiceCommandOptions
}
