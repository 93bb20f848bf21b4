import Synchronization

/// When each connected peer (an nng pipe) was last heard from: when it
/// connected, and each reply it sent since.
///
/// nng's REQ socket does not say which pipe a request went to, so a request
/// that got no reply in time cannot name its peer. What can be known is which
/// peers have said nothing since a moment: when an attempt times out,
/// `NngClient` sends every peer Health and disconnects those silent since
/// (docs/rpc.md, "Hung workers").
final class PeerActivity: Sendable {
    private let lastHeard = Mutex<[UInt32: ContinuousClock.Instant]>([:])

    var count: Int { lastHeard.withLock { $0.count } }

    func joined(_ pipe: UInt32) { lastHeard.withLock { $0[pipe] = .now } }

    func left(_ pipe: UInt32) { _ = lastHeard.withLock { $0.removeValue(forKey: pipe) } }

    /// A reply came on `pipe`; ignored for a pipe already gone.
    func heard(_ pipe: UInt32) {
        lastHeard.withLock { peers in
            if peers[pipe] != nil { peers[pipe] = .now }
        }
    }

    /// Peers connected since before `instant` that have not been heard from since.
    func silent(since instant: ContinuousClock.Instant) -> [UInt32] {
        lastHeard.withLock { peers in peers.filter { $0.value < instant }.map(\.key).sorted() }
    }
}
