import Foundation

/// One round of `irg bench llm`: each engine's figures, and the memory
/// bandwidth measured at its end.
struct LLMBenchRound {
    var ours: [String: Double] = [:]
    var peer: [String: Double] = [:]
    var bandwidth = 0.0
}

/// The figures of one `irg bench llm` run and how they print: medians over
/// rounds; ratios and fractions of the bound are taken within each round,
/// then their median, with the range over rounds beside it.
struct LLMBenchFigures {
    let threads: Int
    let weightBytes: Double
    /// The share of a step's bytes read inside a motion span.
    let motionSpanShare: Double
    let peerVersions: [String: Any]
    var rounds: [LLMBenchRound] = []
    var int8Rounds: [LLMBenchRound] = []
    /// int8's logit error and bytes per token.
    var int8: [String: Double] = [:]
    /// Measured once: peak RSS, the prefix-cache time to first token, the peer's RSS.
    var extra: [String: Double] = [:]

    /// A statistic over rounds: median, least, largest.
    struct Spread {
        let median, least, largest: Double

        init?(_ values: [Double]) {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            let middle = sorted.count / 2
            median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            (least, largest) = (sorted.first!, sorted.last!)
        }

        func format(_ scale: Double = 1, _ style: String) -> String {
            let value = String(format: style, median * scale)
            guard least != largest else { return value }
            return value + " (" + String(format: style, least * scale) + "-" + String(format: style, largest * scale) + ")"
        }
    }

    static func ours(_ key: String, _ rounds: [LLMBenchRound]) -> Spread? { Spread(rounds.compactMap { $0.ours[key] }) }
    static func peer(_ key: String, _ rounds: [LLMBenchRound]) -> Spread? { Spread(rounds.compactMap { $0.peer[key] }) }

    static func ratio(_ key: String, _ rounds: [LLMBenchRound]) -> Spread? {
        Spread(rounds.compactMap { r in r.ours[key].flatMap { o in r.peer[key].map { o / $0 } } })
    }

    /// The case's rate over the bound of its own round, bytes per token read.
    static func ofBound(_ key: String, _ rounds: [LLMBenchRound], bytes: Double) -> Spread? {
        Spread(rounds.compactMap { r in r.ours[key].map { $0 / (r.bandwidth / bytes) } })
    }

    var bandwidth: Spread { Spread(rounds.map(\.bandwidth))! }

    static let cases = [("decode tok/s, batch 1", "decode_1"), ("decode tok/s, batch 4 (total)", "decode_4"),
                        ("decode tok/s, motion span", "decode_1_motion_span"), ("prefill tok/s", "prefill_tokens_per_s")]

    func printTable(model: String, prompt: Int, decode: Int) {
        print("irg bench llm: \(model), \(String(format: "%.2f", weightBytes / 1e9)) GB of weights, \(threads) threads for both, prompt \(prompt), \(decode) decode steps")
        print("\(rounds.count) rounds, each case on both engines in turn: medians over rounds; ratios and bound fractions within each round, their range in brackets")
        print(String(format: "memory read bandwidth (the packed weights, %d threads): %@ GB/s -> decode bound %.2f tok/s; inside a motion span %.2f tok/s",
                     threads, bandwidth.format(1e-9, "%.1f"), bandwidth.median / weightBytes, bandwidth.median / (weightBytes * motionSpanShare)))
        printCases(rounds, bytes: weightBytes, header: "case                           swift                   transformers            ratio                   of bound")
        print(String(format: "time to first token (prompt %d): swift %@ s, transformers %@", prompt,
                     Self.ours("ttft_s", rounds)!.format(1, "%.3f"), Self.peer("ttft_s", rounds).map { $0.format(1, "%.3f") + " s" } ?? "-"))
        print(String(format: "time to first token with all but the last 8 prompt tokens in the prefix cache: swift %.3f s",
                     extra["ttft_shared_prefix_s"]!))
        print(String(format: "peak RSS: swift %.0f MB (%.2fx the weights), transformers %@", extra["peak_rss_mb"]!,
                     extra["peak_rss_mb"]! * 1_048_576 / weightBytes,
                     extra["transformers_peak_rss_mb"].map { String(format: "%.0f MB", $0) } ?? "-"))
        if !int8Rounds.isEmpty { printInt8Table(decode: decode) }
    }

    /// The int8 rows: against transformers' BF16 decode in the same rounds, and int8's own bound.
    func printInt8Table(decode: Int) {
        let bytes = int8["int8_weight_bytes"]!
        let bandwidth = Spread(int8Rounds.map(\.bandwidth))!
        print(String(format: "int8 weights (quantized in memory, %.2f GB read per token): bandwidth %@ GB/s -> decode bound %.2f tok/s",
                     bytes / 1e9, bandwidth.format(1e-9, "%.1f"), bandwidth.median / bytes))
        printCases(int8Rounds, bytes: bytes, header: "case                           swift int8              transformers bf16       ratio                   of bound")
        print(String(format: "int8 logit error against the model's own weights (last row of 4 prompts): max %.4f, mean %.4f (logits up to %.2f); top token agrees %.0f%%, greedy agrees for %.0f%% of %d steps",
                     int8["logit_max_abs_error"]!, int8["logit_mean_abs_error"]!, int8["logit_max_abs"]!,
                     100 * int8["top1_agreement"]!, 100 * int8["greedy_agreement"]!, decode))
    }

    private func printCases(_ rounds: [LLMBenchRound], bytes: Double, header: String) {
        print(header)
        for (label, key) in Self.cases {
            guard let ours = Self.ours(key, rounds) else { continue }
            let bytesRead = key == "decode_1_motion_span" ? bytes * motionSpanShare : bytes
            let bound = key == "decode_1" || key == "decode_1_motion_span" ? Self.ofBound(key, rounds, bytes: bytesRead) : nil
            print(label.padding(toLength: 30, withPad: " ", startingAt: 0),
                  ours.format(1, "%.2f").padding(toLength: 24, withPad: " ", startingAt: 0),
                  (Self.peer(key, rounds)?.format(1, "%.2f") ?? "-").padding(toLength: 24, withPad: " ", startingAt: 0),
                  (Self.ratio(key, rounds).map { $0.format(1, "%.2f") + "x" } ?? "-").padding(toLength: 24, withPad: " ", startingAt: 0),
                  bound.map { $0.format(100, "%.0f") + "%" } ?? "")
        }
    }

    func printJSON() {
        func summary(_ rounds: [LLMBenchRound], _ side: (LLMBenchRound) -> [String: Double]) -> [String: Double] {
            let keys = Set(rounds.flatMap { side($0).keys })
            return Dictionary(uniqueKeysWithValues: keys.compactMap { k in Spread(rounds.compactMap { side($0)[k] }).map { (k, $0.median) } })
        }
        func ratios(_ rounds: [LLMBenchRound]) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: Self.cases.compactMap { _, k in Self.ratio(k, rounds).map { (k, $0.median) } })
        }
        func perRound(_ rounds: [LLMBenchRound]) -> [[String: Any]] {
            rounds.map { ["bandwidth_bytes_per_s": $0.bandwidth, "swift": $0.ours, "transformers": $0.peer] }
        }
        var peer: [String: Any] = summary(rounds, \.peer)
        peer.merge(peerVersions.filter { $0.key != "ready" }) { $1 }
        if let rss = extra["transformers_peak_rss_mb"] { peer["peak_rss_mb"] = rss }
        var object: [String: Any] = [
            "threads": threads, "weight_bytes": weightBytes, "rounds": perRound(rounds),
            "bandwidth_bytes_per_s": bandwidth.median, "bound_tokens_per_s": bandwidth.median / weightBytes,
            "motion_span_bound_tokens_per_s": bandwidth.median / (weightBytes * motionSpanShare),
            "swift": summary(rounds, \.ours).merging(extra.filter { !$0.key.hasPrefix("transformers") }) { $1 },
            "transformers": peer, "ratios": ratios(rounds),
        ]
        if !int8Rounds.isEmpty {
            object["swift_int8"] = summary(int8Rounds, \.ours).merging(int8) { $1 }
            object["int8_ratios"] = ratios(int8Rounds)
            object["int8_rounds"] = perRound(int8Rounds)
        }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
