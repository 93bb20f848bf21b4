/// How a server behaves, independent of its transport.
public struct ServerOptions: Sendable {
    /// Executable name reported by Reflection and Admin ("irg-tokenizer").
    public var name: String
    /// Requests served at once.
    public var contexts: Int = 16
    /// Requests received beyond `contexts` that wait for a slot, in arrival
    /// order; more are refused at once with RESOURCE_EXHAUSTED and a retry
    /// hint. Health, Reflection and Admin are never held back.
    public var maxQueued: Int = 32

    /// nng REP contexts to open: the slots, the queue, and a few that take in
    /// requests over the bound so they are refused at once rather than wait inside nng.
    public var receivingContexts: Int { max(1, contexts) + max(0, maxQueued) + 4 }
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
