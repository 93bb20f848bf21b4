import ArgumentParser
import Foundation
import IRGConversation
import IRGRPC
import IRGService

/// irg-orchestrator: the generate-assess-refine loop as remote calls, with sessions.
@main
struct OrchestratorCommand: ServiceCommand {
    static let spec = ServiceSpec.orchestrator
    static let configuration = CommandConfiguration(commandName: spec.executable, abstract: "Runs the interleaved generate-assess-refine loop over the other services, with sessions that survive restarts.")

    @OptionGroup var service: ServiceCommandOptions

    @Option(help: "irg-generator address to dial (repeatable); default the suite's.")
    var generator: [String] = []
    @Option(help: "irg-tokenizer address to dial (repeatable); default the suite's.")
    var tokenizer: [String] = []
    @Option(help: "irg-assessor address to dial (repeatable); default the suite's.")
    var assessor: [String] = []

    @Option(help: "Address the orchestrator listens on for generator workers started with --dial (repeatable).")
    var generatorPool: [String] = []
    @Option(help: "Address the orchestrator listens on for tokenizer workers started with --dial (repeatable).")
    var tokenizerPool: [String] = []
    @Option(help: "Address the orchestrator listens on for assessor workers started with --dial (repeatable).")
    var assessorPool: [String] = []

    @Option(help: "The sessions' SQLite file (default ~/.local/state/irg/sessions.sqlite).")
    var sessions: String?

    @Option(help: "Loops (Generate and Converse calls) run at once; more are refused with RESOURCE_EXHAUSTED and a retry hint.")
    var maxLoops = 32

    @Option(help: "OpenAI-compatible chat endpoint that plans Converse turns (POST URL/chat/completions); default: the built-in planner.")
    var plannerUrl: String?
    @Option(help: "The model named in each planner request (with --planner-url).")
    var plannerModel = "gpt-4o"
    @Option(help: "File holding the planner endpoint's API key (default: $IRG_PLANNER_API_KEY).")
    var plannerKeyFile: String?
    @Option(help: "Seconds the planner endpoint may take per request.")
    var plannerTimeout: Double = 60

    @Option(help: "Seconds one attempt of a downstream call may go without a reply. Then every worker is sent Health, those that do not answer are disconnected as hung, and the call is retried on the others. Set it above the longest call, queueing included.")
    var attemptTimeout: Double = 120

    func validate() throws {
        if let plannerUrl, URL(string: plannerUrl)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            throw ValidationError("--planner-url must be an http:// or https:// URL, got '\(plannerUrl)'")
        }
        guard plannerTimeout > 0 else { throw ValidationError("--planner-timeout must be positive") }
        guard maxLoops > 0 else { throw ValidationError("--max-loops must be positive") }
        guard attemptTimeout > 0 else { throw ValidationError("--attempt-timeout must be positive") }
    }

    /// The chat endpoint when one is set, else the built-in grammar.
    func planner() throws -> any Planner {
        guard let plannerUrl, let url = URL(string: plannerUrl) else { return BuiltinPlanner() }
        var key = ProcessInfo.processInfo.environment["IRG_PLANNER_API_KEY"]
        if let plannerKeyFile {
            do {
                key = try String(contentsOfFile: plannerKeyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw ValidationError("cannot read --planner-key-file \(plannerKeyFile): \(error.localizedDescription)")
            }
        }
        return ChatCompletionsPlanner(url: url, model: plannerModel, apiKey: key, timeoutSeconds: plannerTimeout)
    }

    func implement(_ router: Router) throws {
        func client(_ dial: [String], _ pool: [String], _ spec: ServiceSpec) throws -> NngClient {
            let dialed = dial.isEmpty && pool.isEmpty ? [spec.defaultAddress] : dial
            return try NngClient(dialed.map { .dial($0) } + pool.map { .listen($0) },  // the service's own token and TLS identity
                                 attemptMilliseconds: Int64((attemptTimeout * 1000).rounded()))
        }
        let clients = OrchestratorService.Clients(
            generator: try client(generator, generatorPool, .generator), tokenizer: try client(tokenizer, tokenizerPool, .tokenizer),
            assessor: try client(assessor, assessorPool, .assessor))
        let path = sessions ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/state/irg/sessions.sqlite").path
        let planner = try planner()
        do {
            try OrchestratorService(clients: clients, sessions: path, planner: planner, maxLoops: maxLoops).install(on: router)
        } catch {
            throw ValidationError("cannot open the sessions file \(path): \(error)")
        }
    }
}
