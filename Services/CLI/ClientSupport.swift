import ArgumentParser
import Foundation
import IRGRPC

/// The token a command sends: the one given, else $IRG_AUTH_TOKEN when set and not empty.
func resolvedAuthToken(_ given: String?) -> String? {
    given ?? ProcessInfo.processInfo.environment["IRG_AUTH_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
}

extension ClientOptions {
    var resolvedToken: String? { resolvedAuthToken(authToken) }

    func callOptions() -> CallOptions { CallOptions(timeoutMilliseconds: timeout) }

    /// A client of `address` with this command's token and TLS settings.
    func connect(_ address: String) throws -> NngClient {
        tls.apply()
        return try NngClient(dialing: [address], authToken: resolvedToken)
    }
}

/// A failed call ends the command with one line on stderr and the status
/// code number as exit status (1 for anything that is not a status).
func reportFailure(_ error: Error) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    if let rpc = error as? RPCError { return ExitCode(rpc.code.rawValue) }
    return .failure
}
