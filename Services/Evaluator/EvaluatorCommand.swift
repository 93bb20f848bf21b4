import ArgumentParser
import IRGService

/// irg-evaluator: the text-motion matching evaluator and benchmark metrics.
/// Its RPCs answer UNIMPLEMENTED until their issue lands; Health,
/// Reflection and Admin work now.
@main
struct EvaluatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "irg-evaluator",
        abstract: "Serves the text-motion matching evaluator and benchmark metrics.")

    @OptionGroup var service: ServiceCommandOptions

    func run() async throws {
        try await ServiceHost.run(.evaluator, options: service)
    }
}
