import ArgumentParser
import IRGRPC

@main
struct IRGCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "irg",
        abstract: "IRG Motion Suite: call the services, start the suite, benchmark.",
        subcommands: [CallCommand.self, HealthCommand.self, UpCommand.self, LoadCommand.self, GenerateCommand.self, ConverseCommand.self, ChatCommand.self, SessionsCommand.self, MotionCommand.self, DataCommand.self, VQCommand.self, EvalCommand.self, LLMCommand.self, BenchCommand.self])
}

/// Options shared by commands that call a service.
struct ClientOptions: ParsableArguments {
    @Option(help: "Deadline of each call in milliseconds.")
    var timeout: Int64 = 30_000

    @Option(help: "Shared secret sent as 'authorization' metadata (default: $IRG_AUTH_TOKEN).")
    var authToken: String?

    @OptionGroup var tls: TLSOptionGroup
}

/// `--tls-cert`, `--tls-key`, `--tls-ca` for tls+tcp:// addresses (defaults: $IRG_TLS_CERT, $IRG_TLS_KEY, $IRG_TLS_CA).
struct TLSOptionGroup: ParsableArguments {
    @Option(help: "PEM client certificate for tls+tcp:// servers that require one (default: $IRG_TLS_CERT).")
    var tlsCert: String?
    @Option(help: "PEM private key of --tls-cert (default: $IRG_TLS_KEY).")
    var tlsKey: String?
    @Option(help: "PEM CA that tls+tcp:// servers are verified against (default: $IRG_TLS_CA).")
    var tlsCa: String?

    /// Makes these the settings of every client this command opens.
    func apply() {
        TLSSettings.processDefault = .given(certificate: tlsCert, key: tlsKey, certificateAuthority: tlsCa)
    }
}
