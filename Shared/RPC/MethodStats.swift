import Foundation
import Synchronization

/// Per-method call counts, status codes and server-side latency.
public final class StatsRecorder: Sendable {
    /// Bucket upper bounds in milliseconds (the last bucket is +inf).
    public static let bucketUpperMs: [Double] = [
        0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000,
    ]

    public struct Method: Sendable {
        public var calls: UInt64 = 0
        public var codes: [StatusCode: UInt64] = [:]
        public var buckets = [UInt64](repeating: 0, count: StatsRecorder.bucketUpperMs.count + 1)
        public var totalMs: Double = 0
        public var maxMs: Double = 0

        /// The upper bound of the bucket holding quantile q (0...1).
        public func quantileMs(_ q: Double) -> Double {
            guard calls > 0 else { return 0 }
            let target = UInt64((Double(calls) * q).rounded(.up))
            var seen: UInt64 = 0
            for (i, count) in buckets.enumerated() {
                seen += count
                if seen >= max(target, 1) {
                    return i < StatsRecorder.bucketUpperMs.count ? StatsRecorder.bucketUpperMs[i] : maxMs
                }
            }
            return maxMs
        }
    }

    private let methods = Mutex<[String: Method]>([:])
    private let malformedCount = Atomic<UInt64>(0)
    private let inFlightCount = Atomic<Int>(0)
    public let started = Date()

    public init() {}

    public func record(method: String, code: StatusCode, milliseconds: Double) {
        let bucket = StatsRecorder.bucketUpperMs.firstIndex { milliseconds <= $0 } ?? StatsRecorder.bucketUpperMs.count
        methods.withLock { all in
            var m = all[method] ?? Method()
            m.calls += 1
            m.codes[code, default: 0] += 1
            m.buckets[bucket] += 1
            m.totalMs += milliseconds
            m.maxMs = max(m.maxMs, milliseconds)
            all[method] = m
        }
    }

    public func recordMalformed() { malformedCount.add(1, ordering: .relaxed) }
    public func begin() { inFlightCount.add(1, ordering: .relaxed) }
    public func end() { inFlightCount.subtract(1, ordering: .relaxed) }

    public var inFlight: Int { inFlightCount.load(ordering: .relaxed) }
    public var malformed: UInt64 { malformedCount.load(ordering: .relaxed) }
    public var snapshot: [String: Method] { methods.withLock { $0 } }
}
