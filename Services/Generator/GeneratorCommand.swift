import ArgumentParser
import IRGService

/// irg-generator: MotionLLM: text <-> motion codes, assessment and refinement.
/// Its RPCs answer UNIMPLEMENTED until their issue lands; Health,
/// Reflection and Admin work now.
@main
struct GeneratorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "irg-generator",
        abstract: "Serves MotionLLM: text <-> motion codes, assessment and refinement.")

    @OptionGroup var service: ServiceCommandOptions

    func run() async throws {
        try await ServiceHost.run(.generator, options: service)
    }
}
