import Foundation

/// Keys and values of prompts already run through the model, by adapter
/// (LoRA on q/k/v makes them adapter-specific). A request whose prompt starts
/// as a stored one does starts from a copy of the shared part and computes
/// only the rest: the loop's rounds repeat the template and caption, Score
/// calls rescore one prompt with many continuations, and every Generate
/// shares the system preamble. Least recently used entries go first once the
/// byte budget is spent.
public final class PrefixCache: @unchecked Sendable {
    public struct Stats: Sendable, Equatable {
        public var lookups = 0, hits = 0, reusedTokens = 0
    }

    private struct Entry {
        let adapter: String?
        let tokens: [Int]
        let cache: KVCache
    }

    public let capacityBytes: Int
    /// Shorter shared prefixes are not worth a copy.
    public let minimumTokens: Int
    private var entries: [Entry] = []  // least recently used first
    private var statistics = Stats()
    private let lock = NSLock()

    public init(capacityBytes: Int, minimumTokens: Int = 8) {
        (self.capacityBytes, self.minimumTokens) = (capacityBytes, minimumTokens)
    }

    public var stats: Stats { lock.withLock { statistics } }
    public var bytes: Int { lock.withLock { entries.reduce(0) { $0 + $1.cache.bytes } } }

    /// A private cache holding the longest stored prefix of `tokens` under
    /// `adapter`, at most `limit` positions long; nil when none is long enough.
    public func lookup(_ tokens: [Int], adapter: String?, limit: Int) -> KVCache? {
        lock.withLock {
            statistics.lookups += 1
            var best: (index: Int, length: Int)?
            for (i, entry) in entries.enumerated() where entry.adapter == adapter {
                let length = min(commonPrefix(entry.tokens, tokens), limit)
                if length >= minimumTokens, length > best?.length ?? 0 { best = (i, length) }
            }
            guard let best else { return nil }
            let entry = entries.remove(at: best.index)
            entries.append(entry)
            statistics.hits += 1
            statistics.reusedTokens += best.length
            return entry.cache.copy(keeping: best.length)
        }
    }

    /// Stores a copy of `cache`, which holds exactly `tokens`. An entry the
    /// new one extends is replaced; one that already covers it is only touched.
    public func insert(_ tokens: [Int], adapter: String?, cache: KVCache) {
        store(tokens, adapter: adapter, cache: cache) { cache.copy() }
    }

    /// Stores `cache` itself, which its caller no longer uses (a warm
    /// prompt's, done): no copy of tens of megabytes.
    public func insert(_ tokens: [Int], adapter: String?, taking cache: KVCache) {
        store(tokens, adapter: adapter, cache: cache) { cache }
    }

    private func store(_ tokens: [Int], adapter: String?, cache: KVCache, _ kept: () -> KVCache) {
        precondition(cache.positions == tokens.count, "the cache must hold exactly the tokens")
        guard tokens.count >= minimumTokens, cache.bytes <= capacityBytes else { return }
        lock.withLock {
            if let covering = entries.firstIndex(where: { $0.adapter == adapter && $0.tokens.starts(with: tokens) }) {
                entries.append(entries.remove(at: covering))
                return
            }
            entries.removeAll { $0.adapter == adapter && tokens.starts(with: $0.tokens) }
            entries.append(Entry(adapter: adapter, tokens: tokens, cache: kept()))
            var total = entries.reduce(0) { $0 + $1.cache.bytes }
            while total > capacityBytes, !entries.isEmpty { total -= entries.removeFirst().cache.bytes }
        }
    }

    private func commonPrefix(_ a: [Int], _ b: [Int]) -> Int {
        var n = 0
        while n < a.count, n < b.count, a[n] == b[n] { n += 1 }
        return n
    }
}
