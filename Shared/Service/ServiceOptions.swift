import ArgumentParser
import Foundation
import IRGRPC

/// The command-line options every service executable takes.
public struct ServiceCommandOptions: ParsableArguments {
    @Option(help: "Address to listen on (tcp://HOST:PORT, ipc:///path, inproc://name); repeatable. Default: the service's loopback port.")
    public var listen: [String] = []

    @Option(help: "Worker mode: dial a pool client (an orchestrator) that listens at this address; repeatable.")
    public var dial: [String] = []

    @Option(help: "JSON config file; command-line options override it.")
    public var config: String?

    @Option(help: "Requests served at once.")
    public var contexts: Int?

    @Option(help: "Requests that may wait for a free slot (default 32); more are refused with RESOURCE_EXHAUSTED and a retry hint.")
    public var maxQueued: Int?

    @Option(help: "Largest request accepted, in bytes (default 64 MiB).")
    public var maxMessageBytes: Int?

    @Option(help: "File holding the shared secret clients must send as 'authorization' metadata (or set IRG_AUTH_TOKEN).")
    public var authTokenFile: String?

    @Option(help: "PEM certificate for tls+tcp:// addresses: what a listener presents, and this service's client certificate towards the services it calls (or IRG_TLS_CERT).")
    public var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert (or IRG_TLS_KEY).")
    public var tlsKey: String?

    @Option(help: "PEM CA for tls+tcp://: servers are verified against it, and listeners then require client certificates it signed (or IRG_TLS_CA).")
    public var tlsCa: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    public var logLevel: String?

    @Option(help: "Seconds a graceful shutdown waits for requests in flight.")
    public var drainTimeout: Double?

    @Flag(help: "Without a model option, start with no model instead of the bundled demo model (Models/demo; also IRG_DEMO_MODELS=none).")
    public var noDemoModel = false

    public init() {}
}

/// `--config FILE`: the same settings as the options, in snake_case JSON.
struct ServiceConfigFile: Decodable {
    var listen: [String]?
    var dial: [String]?
    var contexts: Int?
    var maxQueued: Int?
    var maxMessageBytes: Int?
    var authTokenFile: String?
    var tlsCert: String?
    var tlsKey: String?
    var tlsCa: String?
    var logLevel: String?
    var drainTimeoutSeconds: Double?

    static func load(_ path: String) throws -> ServiceConfigFile {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ValidationError("cannot read config file \(path): \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(ServiceConfigFile.self, from: data) } catch {
            throw ValidationError("config file \(path) is not valid: \(error)")
        }
    }
}

/// Everything a service needs to start, resolved from options, file and defaults.
public struct ResolvedServiceConfig: Sendable {
    public var endpoints: [Endpoint]
    public var server: ServerOptions
    /// For tls+tcp:// listeners and dialers, and the clients this service makes.
    public var tls: TLSSettings
    public var logLevel: String

    public init(spec: ServiceSpec, options: ServiceCommandOptions) throws {
        let file = try options.config.map(ServiceConfigFile.load) ?? ServiceConfigFile()
        let listen = !options.listen.isEmpty ? options.listen : (file.listen ?? [])
        let dial = !options.dial.isEmpty ? options.dial : (file.dial ?? [])
        endpoints = listen.map { .listen($0) } + dial.map { .dial($0) }
        if endpoints.isEmpty { endpoints = [.listen(spec.defaultAddress)] }
        server = ServerOptions(name: spec.executable)
        if let contexts = options.contexts ?? file.contexts {
            guard contexts > 0 else { throw ValidationError("--contexts must be positive") }
            server.contexts = contexts
        }
        if let queued = options.maxQueued ?? file.maxQueued {
            guard queued >= 0 else { throw ValidationError("--max-queued must not be negative") }
            server.maxQueued = queued
        }
        if let max = options.maxMessageBytes ?? file.maxMessageBytes {
            guard max >= 1024 else { throw ValidationError("--max-message-bytes must be at least 1024") }
            server.maxMessageBytes = max
        }
        if let seconds = options.drainTimeout ?? file.drainTimeoutSeconds { server.drainTimeoutSeconds = seconds }
        if let path = options.authTokenFile ?? file.authTokenFile {
            guard let token = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("cannot read auth token file \(path)")
            }
            server.authToken = token.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let token = ProcessInfo.processInfo.environment["IRG_AUTH_TOKEN"], !token.isEmpty {
            server.authToken = token
        }
        tls = .given(certificate: options.tlsCert ?? file.tlsCert, key: options.tlsKey ?? file.tlsKey,
                     certificateAuthority: options.tlsCa ?? file.tlsCa)
        guard (tls.certificate == nil) == (tls.key == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        logLevel = options.logLevel ?? file.logLevel ?? "info"
    }
}
