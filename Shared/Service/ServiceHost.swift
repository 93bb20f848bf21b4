import ArgumentParser
import Dispatch
import Foundation
import IRGRPC
import Logging

/// Runs one service process: logging, the nng server, and a graceful
/// shutdown on SIGTERM or SIGINT (in-flight requests finish, exit 0; a
/// second signal exits at once).
public enum ServiceHost {
    public static func run(_ spec: ServiceSpec, options: ServiceCommandOptions,
                           implement: (Router) throws -> Void = { _ in }) async throws {
        MallocTuning.keepFreedMessageBuffers()
        let config = try ResolvedServiceConfig(spec: spec, options: options)
        // Before `implement` makes the service's own clients: its TLS identity and token are theirs too.
        TLSSettings.processDefault = config.tls
        NngClient.defaultAuthToken = config.server.authToken
        guard let level = Logger.Level(rawValue: config.logLevel) else {
            throw ValidationError("unknown log level '\(config.logLevel)'")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: spec.executable)
        let router = Router()
        spec.services.forEach { router.register(service: $0) }
        try implement(router)
        let server = NngServer(dispatcher: Dispatcher(router: router, options: config.server, logger: logger))
        do {
            try server.start(config.endpoints)
        } catch {
            throw ValidationError("\(spec.executable) cannot start: \(error)")
        }
        let signal = await ShutdownSignal.wait()
        logger.info("\(signal), draining", metadata: ["in_flight": "\(server.dispatcher.stats.inFlight)"])
        await server.drain()
    }
}

/// The first SIGTERM or SIGINT; a second one ends the process at once.
public enum ShutdownSignal {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Calls `handler` once, with the signal's name, on the first SIGTERM or SIGINT.
    public static func onFirstSignal(_ handler: @escaping @Sendable (String) -> Void) {
        nonisolated(unsafe) var fired = false
        for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if fired { exit(130) }
                fired = true
                handler(name)
            }
            source.resume()
            sources.append(source)
        }
    }

    public static func wait() async -> String {
        await withCheckedContinuation { continuation in
            onFirstSignal { continuation.resume(returning: $0) }
        }
    }
}
