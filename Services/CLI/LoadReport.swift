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

    struct Memory: Codable {
        var before = 0.0, warm = 0.0, end = 0.0  // MiB

        /// End against the warm reading (the allocator's working set once the load runs).
        var growth: Double { warm > 0 ? (end - warm) / warm : 0 }
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
        print("service         RSS MiB: before load   after warm-up   at end   end vs warm-up")
        for (name, m) in memory.sorted(by: { $0.key < $1.key }) {
            print(name.padding(toLength: 16, withPad: " ", startingAt: 0)
                  + String(format: "%20.1f  %14.1f  %8.1f  %+13.1f%%", m.before, m.warm, m.end, 100 * m.growth))
        }
        print("errors: \(errorCount)")
    }
}
