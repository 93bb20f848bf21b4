import CNng
import Foundation
import Synchronization

/// TLS for `tls+tcp://` addresses (nng's mbedTLS transport), PEM files:
/// - `certificate` and `key`: this process's identity; a listener needs them,
///   and a dialer presents them when the server asks for a client certificate;
/// - `certificateAuthority`: the CA peers must chain to. A dialer verifies the
///   server against it (and its host name); a listener given one requires
///   every client to present a certificate it signed (mutual TLS).
/// Other schemes ignore these settings.
public struct TLSSettings: Sendable, Equatable {
    public var certificate: String?
    public var key: String?
    public var certificateAuthority: String?
    /// The name a dialer verifies in the server's certificate; nil = the URL's host.
    public var serverName: String?

    public init(certificate: String? = nil, key: String? = nil, certificateAuthority: String? = nil, serverName: String? = nil) {
        (self.certificate, self.key, self.certificateAuthority, self.serverName) = (certificate, key, certificateAuthority, serverName)
    }

    public var isEmpty: Bool { certificate == nil && key == nil && certificateAuthority == nil }

    /// $IRG_TLS_CERT, $IRG_TLS_KEY, $IRG_TLS_CA.
    public static var environment: TLSSettings {
        let env = ProcessInfo.processInfo.environment
        func path(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
        return TLSSettings(certificate: path("IRG_TLS_CERT"), key: path("IRG_TLS_KEY"), certificateAuthority: path("IRG_TLS_CA"))
    }

    /// The given paths, each falling back to the environment's (`IRG_TLS_*`).
    public static func given(certificate: String?, key: String?, certificateAuthority: String?) -> TLSSettings {
        let environment = Self.environment
        return TLSSettings(certificate: certificate ?? environment.certificate, key: key ?? environment.key,
                           certificateAuthority: certificateAuthority ?? environment.certificateAuthority)
    }

    private static let defaults = Mutex<TLSSettings?>(nil)

    /// What clients of this process use unless told otherwise: set once at
    /// start by a service's (or `irg`'s) TLS options, else the environment.
    /// A service's TLS options are also its identity towards the services it calls.
    public static var processDefault: TLSSettings {
        get { defaults.withLock { $0 } ?? environment }
        set { defaults.withLock { $0 = newValue } }
    }

    static func isTLS(_ url: String) -> Bool { url.hasPrefix("tls+tcp") }

    /// A TLS configuration for a listener (server) or a dialer (client) of `url`; the caller frees it.
    func configuration(server: Bool, url: String) throws -> OpaquePointer {
        var config: OpaquePointer?
        try NngError.check(nng_tls_config_alloc(&config, server ? NNG_TLS_MODE_SERVER : NNG_TLS_MODE_CLIENT), "TLS configuration for \(url)")
        do {
            try configure(config!, server: server, url: url)
            return config!
        } catch {
            nng_tls_config_free(config)
            throw error
        }
    }

    private func configure(_ config: OpaquePointer, server: Bool, url: String) throws {
        if server, certificate == nil || key == nil {
            throw RPCError(.failedPrecondition, "listening on \(url) needs a certificate and its key (--tls-cert, --tls-key)")
        }
        if let certificate, let key {
            try NngError.check(nng_tls_config_own_cert(config, try Self.pem(certificate), try Self.pem(key), nil),
                               "TLS certificate \(certificate) with key \(key)")
        }
        guard let certificateAuthority else {
            if !server { throw RPCError(.failedPrecondition, "dialing \(url) needs the CA to verify the server with (--tls-ca or IRG_TLS_CA)") }
            try NngError.check(nng_tls_config_auth_mode(config, NNG_TLS_AUTH_MODE_NONE), "TLS auth mode")
            return
        }
        try NngError.check(nng_tls_config_ca_chain(config, try Self.pem(certificateAuthority), nil), "TLS CA \(certificateAuthority)")
        try NngError.check(nng_tls_config_auth_mode(config, NNG_TLS_AUTH_MODE_REQUIRED), "TLS auth mode")
        if !server, let name = serverName ?? URLComponents(string: url.replacingOccurrences(of: "tls+tcp", with: "tcp"))?.host {
            try NngError.check(nng_tls_config_server_name(config, name), "TLS server name \(name)")
        }
    }

    static func pem(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RPCError(.failedPrecondition, "cannot read \(path): \(error.localizedDescription)")
        }
    }
}
