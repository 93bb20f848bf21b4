import ArgumentParser
import IRGService

/// irg-orchestrator: the interleaved generate-assess-refine loop and sessions.
/// Its RPCs answer UNIMPLEMENTED until their issue lands; Health,
/// Reflection and Admin work now.
@main
struct OrchestratorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "irg-orchestrator",
        abstract: "Serves the interleaved generate-assess-refine loop and sessions.")

    @OptionGroup var service: ServiceCommandOptions

    func run() async throws {
        try await ServiceHost.run(.orchestrator, options: service)
    }
}
