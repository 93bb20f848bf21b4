import Foundation
import Synchronization

/// Backpressure for one server: at most `maxInFlight` requests run at once,
/// at most `maxQueued` more wait for a slot in arrival order, and a request
/// beyond both is refused at once with a retry hint, never queued without
/// bound. The hint is the expected wait: the recent mean handling time times
/// the queue ahead, over the slots.
public final class AdmissionGate: Sendable {
    public enum Admission: Sendable, Equatable {
        case admitted
        case refused(retryAfterMilliseconds: Int64)
    }

    private struct State {
        var inFlight = 0
        var waiting: [CheckedContinuation<Admission, Never>] = []
        /// Exponentially weighted mean handling time of admitted requests.
        var meanMilliseconds = 50.0
    }

    public let maxInFlight: Int
    public let maxQueued: Int
    private let state = Mutex(State())

    public init(maxInFlight: Int, maxQueued: Int) {
        (self.maxInFlight, self.maxQueued) = (max(1, maxInFlight), max(0, maxQueued))
    }

    /// Admits the request now, after the requests queued before it, or refuses it.
    public func enter() async -> Admission {
        await withCheckedContinuation { continuation in
            let now: Admission? = state.withLock { s in
                if s.inFlight < maxInFlight {
                    s.inFlight += 1
                    return .admitted
                }
                if s.waiting.count < maxQueued {
                    s.waiting.append(continuation)
                    return nil
                }
                let ahead = Double(s.waiting.count + 1) / Double(maxInFlight)
                return .refused(retryAfterMilliseconds: Int64(max(10, (s.meanMilliseconds * ahead).rounded())))
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    /// An admitted request finished: its slot goes to the first waiting one.
    public func leave(milliseconds: Double) {
        let next = state.withLock { s -> CheckedContinuation<Admission, Never>? in
            s.meanMilliseconds = 0.8 * s.meanMilliseconds + 0.2 * milliseconds
            if s.waiting.isEmpty {
                s.inFlight -= 1
                return nil
            }
            return s.waiting.removeFirst()  // the slot passes on; inFlight stays
        }
        next?.resume(returning: .admitted)
    }

    /// Requests running and waiting now.
    public var load: (inFlight: Int, queued: Int) {
        state.withLock { ($0.inFlight, $0.waiting.count) }
    }
}
