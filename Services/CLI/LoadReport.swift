import Foundation

/// What a load run measured: per method, each call's latency and status; per
/// service, its resident memory before the load, after the warm-up and at the end.
struct LoadReport: Codable {
    struct Method: Codable {
        var calls = 0
        var errors: [String: Int] = [:]
        var latenciesMs: [Double] = []

        func percentile(_ q: Double) -> Double {
            guard !latenciesMs.isEmpty else { return 0 }
            let sorted = latenciesMs.sorted()
            let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1  // nearest rank
            return sorted[min(sorted.count - 1, max(0, rank))]
        }
    }

    /// A service's resident memory in MiB: before the load, then sampled at even intervals during it.
    struct Memory: Codable {
        var before = 0.0
        var samples: [Double] = []

        var warm: Double { samples.isEmpty ? 0 : samples[samples.count / 10] }
        var middle: Double { samples.isEmpty ? 0 : samples[samples.count / 2] }
        var end: Double { samples.last ?? 0 }
        /// The second half of the run: a leak keeps climbing, a working set that has filled stays level.
        var secondHalfGrowth: Double { middle > 0 ? (end - middle) / middle : 0 }
    }

    var clients: Int
    var seconds: Double
    var methods: [String: Method] = [:]
    var memory: [String: Memory] = [:]

    var errorCount: Int { methods.values.reduce(0) { $0 + $1.errors.values.reduce(0, +) } }

    mutating func record(_ method: String, milliseconds: Double, error: String?) {
        methods[method, default: Method()].calls += 1
        methods[method]!.latenciesMs.append(milliseconds)
        if let error { methods[method]!.errors[error, default: 0] += 1 }
    }

    func printTable() {
        print("\(clients) clients for \(String(format: "%.0f", seconds)) s")
        print("method".padding(toLength: 28, withPad: " ", startingAt: 0) + "  calls   req/s    p50 ms    p99 ms  errors")
        for (name, m) in methods.sorted(by: { $0.key < $1.key }) {
            let errors = m.errors.isEmpty ? "0" : m.errors.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print(name.padding(toLength: 28, withPad: " ", startingAt: 0)
                  + String(format: " %6d  %6.2f  %8.1f  %8.1f  ", m.calls, Double(m.calls) / seconds, m.percentile(0.5), m.percentile(0.99)) + errors)
        }
        print("service         RSS MiB: before   at 10%   at 50%   at end   end vs 50%   samples")
        for (name, m) in memory.sorted(by: { $0.key < $1.key }) {
            let series = m.samples.map { String(format: "%.0f", $0) }.joined(separator: " ")
            print(name.padding(toLength: 16, withPad: " ", startingAt: 0)
                  + String(format: "%15.1f  %7.1f  %7.1f  %7.1f  %+10.1f%%   ", m.before, m.warm, m.middle, m.end, 100 * m.secondHalfGrowth) + series)
        }
        print("errors: \(errorCount)")
    }
}
