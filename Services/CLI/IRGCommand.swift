import ArgumentParser

@main
struct IRGCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "irg",
        abstract: "IRG Motion Suite: call the services, start the suite, benchmark.",
        subcommands: [CallCommand.self, HealthCommand.self, UpCommand.self, GenerateCommand.self, ConverseCommand.self, ChatCommand.self, SessionsCommand.self, MotionCommand.self, DataCommand.self, VQCommand.self, EvalCommand.self, LLMCommand.self, BenchCommand.self])
}

/// Options shared by commands that call a service.
struct ClientOptions: ParsableArguments {
    @Option(help: "Deadline of each call in milliseconds.")
    var timeout: Int64 = 30_000

    @Option(help: "Shared secret sent as 'authorization' metadata (default: $IRG_AUTH_TOKEN).")
    var authToken: String?
}
