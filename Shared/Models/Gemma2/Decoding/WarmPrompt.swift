/// The prompt of the loop's next call, run alongside the request whose
/// answer it goes on with: one more row in each decoding step (a step that
/// streams the weights serves another row nearly free). After each token the
/// request writes, the prompt is brought up to date (`follow`): what still
/// matches stays, what no longer does is dropped from its cache, the new
/// tokens run in the next step. When the request ends, its keys and values go
/// to the prefix cache, so the next call prefills only what was not warmed.
/// Exact whatever `follow` guesses: the next call reuses only the longest
/// stored prefix of its real prompt.
public struct WarmPrompt: Sendable {
    /// The tokens before the request writes any.
    public let prefix: [Int]
    public let adapter: String?
    /// The prompt's tokens once the request has written `written` (ids, the
    /// prompt's not included); a prefix of it may be all that is known yet.
    public let follow: @Sendable (_ written: [Int]) -> [Int]

    public init(prefix: [Int], adapter: String?, follow: @escaping @Sendable (_ written: [Int]) -> [Int]) {
        (self.prefix, self.adapter, self.follow) = (prefix, adapter, follow)
    }

    /// A prompt that goes on with the motion codes the request writes: the
    /// assessment of a motion being generated or refined, "...Motion: <Motion>"
    /// and the new codes so far.
    public static func followingCodes(prefix: [Int], adapter: String?, motion: MotionVocabulary) -> WarmPrompt {
        WarmPrompt(prefix: prefix, adapter: adapter) { written in prefix + written.prefix { motion.isCode($0) } }
    }
}
