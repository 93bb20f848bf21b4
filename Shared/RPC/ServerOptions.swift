/// How a server behaves, independent of its transport.
public struct ServerOptions: Sendable {
    /// Executable name reported by Reflection and Admin ("irg-tokenizer").
    public var name: String
    /// Requests served at once (nng REP contexts).
    public var contexts: Int = 16
    /// Largest request accepted, in bytes (nng's NNG_OPT_RECVMAXSZ, which
    /// counts the 4-byte REQ header too). 64 MiB holds a batch of 32
    /// 196-frame motions as features and joints (about 8.3 MB) many times over.
    public var maxMessageBytes: Int = 64 << 20
    /// Shared secret expected in metadata "authorization"; nil = no auth.
    public var authToken: String?
    /// How long a graceful shutdown waits for in-flight requests.
    public var drainTimeoutSeconds: Double = 30

    public init(name: String) { self.name = name }
}
