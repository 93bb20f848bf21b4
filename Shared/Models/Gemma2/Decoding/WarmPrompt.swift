/// A prompt that goes on with the motion codes a request is producing: the
/// IRG loop's next assessment, "...Motion: <Motion>" + the new codes + the
/// rest. It runs alongside the request, one more row in each decoding step
/// (a step that streams the weights serves another row nearly free): each
/// code the request emits is fed to it in the next step. When the request
/// ends, its keys and values go to the prefix cache, so the assessment
/// that follows prefills only what comes after the codes.
public struct WarmPrompt: Sendable, Equatable {
    /// Tokens up to and including the span's `<Motion>`.
    public var prefix: [Int]
    public var adapter: String?

    public init(prefix: [Int], adapter: String?) { (self.prefix, self.adapter) = (prefix, adapter) }
}
