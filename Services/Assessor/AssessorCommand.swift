import ArgumentParser
import IRGService

/// irg-assessor: a reward model for text-motion alignment and physical quality.
/// Its RPCs answer UNIMPLEMENTED until their issue lands; Health,
/// Reflection and Admin work now.
@main
struct AssessorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "irg-assessor",
        abstract: "Serves a reward model for text-motion alignment and physical quality.")

    @OptionGroup var service: ServiceCommandOptions

    func run() async throws {
        try await ServiceHost.run(.assessor, options: service)
    }
}
