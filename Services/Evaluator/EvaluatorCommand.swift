import ArgumentParser
import IRGService

/// irg-evaluator. Its own RPCs answer UNIMPLEMENTED until their issue lands;
/// Health, Reflection and Admin work now.
@main
struct EvaluatorCommand: ServiceCommand {
    static let spec = ServiceSpec.evaluator
    static let configuration = CommandConfiguration(commandName: spec.executable, abstract: "Serves the text-motion matching evaluator and benchmark metrics.")

    @OptionGroup var service: ServiceCommandOptions
}
