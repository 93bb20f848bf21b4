import ArgumentParser
import CIRGKernels
import Foundation
import IRGModels
import IRGNumerics

/// `irg bench llm`: the Gemma2 engine on a Gemma2-2b-shaped checkpoint
/// (Scripts/make_bench_gemma2.py) against HF transformers on the same
/// threads in the same run, and against the memory-bandwidth bound: decode
/// streams every weight once per step, so tokens/s <= bandwidth / bytes per token.
struct LLMBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm", abstract: "Gemma2 decode/prefill speed against transformers and the bandwidth bound.")

    @Option(help: "Model folder (python3 Scripts/make_bench_gemma2.py DIR writes a 2.6B random BF16 one).")
    var model: String

    @Option(help: "Prompt tokens (prefill and the context decoding starts from).")
    var prompt = 128

    @Option(help: "Timed decode steps.")
    var decode = 16

    @Option(help: "The Python peer; \"none\" skips it.")
    var reference: String = "Scripts/reference/bench_llm.py"

    @Flag(help: "Also quantize the model to int8 in memory (as `irg llm quantize` does) and measure it: speed, and its logits against the model's own.")
    var int8 = false

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    func run() throws {
        let threads = ComputeThreads.count
        let folder = URL(fileURLWithPath: model)
        var gemma = try motionStep(model) { try Gemma2Model(folder: folder) }
        let c = gemma.config
        var ours: [String: Double] = [:]
        let prefill = try medianSeconds(3) { _ = try Self.prefill(gemma, length: prompt, seed: 1) }
        ours["prefill_tokens_per_s"] = Double(prompt) / prefill
        ours["ttft_s"] = prefill
        ours["decode_1"] = try Self.decodeRate(gemma, batch: 1, prompt: prompt, steps: decode, vocabulary: nil)
        ours["decode_4"] = try Self.decodeRate(gemma, batch: 4, prompt: prompt, steps: decode, vocabulary: nil)
        let span = c.vocabSize >= 256_514 ? 256_001 ..< 256_514 : nil
        if let span { ours["decode_1_motion_span"] = try Self.decodeRate(gemma, batch: 1, prompt: prompt, steps: decode, vocabulary: span) }
        ours["peak_rss_mb"] = peakResidentMegabytes()
        ours["ttft_shared_prefix_s"] = try Self.sharedPrefixTTFT(gemma, prompt: prompt)
        // Measured after the RSS: mapping the files again would count their pages twice.
        let weights = try Self.weightFiles(folder)
        let weightBytes = Double(weights.bytes)
        let bandwidth = Self.readBandwidth(weights.files, threads: threads)
        let quantized = int8 ? try Self.measureInt8(&gemma, prompt: prompt, decode: decode, span: span) : [:]
        let peer = reference == "none" ? [:] : try runReferenceScript(reference, [model, "\(threads)", "\(prompt)", "\(decode)"])
        let bound = bandwidth / weightBytes
        let embeddingBytes = weightBytes * Double(c.vocabSize * c.hiddenSize) / Double(Self.parameterCount(c))
        let motionRows = 513.0  // </Motion> and the 512 codes
        let spanBound = bandwidth / (weightBytes - embeddingBytes * (1 - motionRows / Double(c.vocabSize)))
        let figures = Figures(threads: threads, weightBytes: weightBytes, bandwidth: bandwidth, bound: bound, spanBound: spanBound,
                              ours: ours, int8: quantized, peer: Self.flatten(peer))
        json ? figures.printJSON() : figures.printTable(model: model, prompt: prompt, decode: decode)
    }

    // MARK: measurements

    /// The int8 figures: the model is quantized in place (its BF16 logits
    /// taken first), then timed as above; `int8_weight_bytes` is what one
    /// decode step reads. Logit error: max and mean |int8 - original| over
    /// the last-row logits of 4 prompts, and how many of the 4 agree on the
    /// top token; greedy agreement over `decode` steps from the first prompt.
    static func measureInt8(_ model: inout Gemma2Model, prompt: Int, decode: Int, span: Range<Int>?) throws -> [String: Double] {
        let prompts = (0..<4).map { ids(prompt, seed: 100 + $0) }
        func lastLogits(_ m: Gemma2Model) throws -> [[Float]] {
            try m.forward(prompts.map { SequenceInput(tokens: $0, cache: m.makeCache()) })
        }
        func greedy(_ m: Gemma2Model) throws -> [Int] {
            try m.greedy(prompt: prompts[0], maxNewTokens: decode)
        }
        let (reference, referenceGreedy) = (try lastLogits(model), try greedy(model))
        model.quantizeInt8()
        let (logits, tokens) = (try lastLogits(model), try greedy(model))
        let errors = zip(logits.joined(), reference.joined()).map { Double(abs($0 - $1)) }
        var out: [String: Double] = [
            "int8_weight_bytes": Double(model.weightBytes),
            "logit_max_abs_error": errors.max() ?? 0,
            "logit_mean_abs_error": errors.reduce(0, +) / Double(errors.count),
            "logit_max_abs": Double(reference.joined().map(abs).max() ?? 0),
            "top1_agreement": Double(zip(logits, reference).filter { argmax($0) == argmax($1) }.count) / Double(prompts.count),
            "greedy_agreement": Double(zip(tokens, referenceGreedy).prefix { $0 == $1 }.count) / Double(max(1, referenceGreedy.count)),
        ]
        let prefill = try medianSeconds(3) { _ = try Self.prefill(model, length: prompt, seed: 1) }
        out["prefill_tokens_per_s"] = Double(prompt) / prefill
        out["decode_1"] = try decodeRate(model, batch: 1, prompt: prompt, steps: decode, vocabulary: nil)
        out["decode_4"] = try decodeRate(model, batch: 4, prompt: prompt, steps: decode, vocabulary: nil)
        if let span { out["decode_1_motion_span"] = try decodeRate(model, batch: 1, prompt: prompt, steps: decode, vocabulary: span) }
        return out
    }

    static func ids(_ count: Int, seed: Int) -> [Int] {
        var random = SeededRandom(seed: UInt64(seed))
        return [2] + (1..<count).map { _ in 3 + Int(random.next() % 255_997) }
    }

    static func prefill(_ model: Gemma2Model, length: Int, seed: Int) throws -> (KVCache, Int) {
        let cache = model.makeCache()
        let logits = try model.forward([SequenceInput(tokens: ids(length, seed: seed), cache: cache)])
        return (cache, argmax(logits[0]))
    }

    /// Time to first token of a prompt whose first `prompt - fresh` tokens an
    /// earlier prompt left in the prefix cache (a new tail each time).
    static func sharedPrefixTTFT(_ model: Gemma2Model, prompt: Int, fresh: Int = 8) throws -> Double {
        let generator = TextGenerator(model: model, tokenizer: nil, prefixCache: PrefixCache(capacityBytes: 1 << 30))
        let shared = ids(prompt - fresh, seed: 1)
        var tail = 10
        return try medianSeconds(2) {
            tail += 1
            let request = GenerationRequest(prompt: shared + ids(fresh + 1, seed: tail).dropFirst(), settings: SamplingSettings(greedy: true, maxNewTokens: 1))
            _ = try generator.generate([request])
        }
    }

    /// Tokens per second over `steps` greedy steps of `batch` sequences decoded together.
    static func decodeRate(_ model: Gemma2Model, batch: Int, prompt: Int, steps: Int, vocabulary: Range<Int>?) throws -> Double {
        var (caches, next) = ([KVCache](), [Int]())
        for b in 0..<batch {
            let (cache, token) = try prefill(model, length: prompt, seed: 10 + b)
            caches.append(cache)
            next.append(vocabulary?.lowerBound ?? token)
        }
        let start = ContinuousClock.now
        for _ in 0..<steps {
            let inputs = zip(caches, next).map { SequenceInput(tokens: [$1], cache: $0) }
            let logits = try model.forward(inputs, vocabularies: [Range<Int>?](repeating: vocabulary, count: batch))
            next = logits.map { argmax($0) + (vocabulary?.lowerBound ?? 0) }
        }
        return Double(batch * steps) / (ContinuousClock.now - start).seconds
    }

    /// The best of 10 passes reading the weight files once, in bytes per second
    /// (the best, as the rate varies by several GB/s from pass to pass).
    static func readBandwidth(_ files: [Data], threads: Int) -> Double {
        var best = Double.infinity
        for _ in 0..<10 {
            let start = ContinuousClock.now
            for file in files { file.withUnsafeBytes { _ = irg_stream_read($0.baseAddress!, $0.count, Int32(threads)) } }
            best = min(best, (ContinuousClock.now - start).seconds)
        }
        return Double(files.reduce(0) { $0 + $1.count }) / best
    }

    static func weightFiles(_ folder: URL) throws -> (files: [Data], bytes: Int) {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".safetensors") }.sorted()
        let files = try names.map { try Data(contentsOf: folder.appendingPathComponent($0), options: .alwaysMapped) }
        return (files, files.reduce(0) { $0 + $1.count })
    }

    static func parameterCount(_ c: Gemma2Config) -> Int {
        let attention = c.hiddenSize * c.headDim * (2 * c.headCount + 2 * c.keyValueHeadCount)
        let mlp = 3 * c.hiddenSize * c.intermediateSize
        return c.vocabSize * c.hiddenSize + c.layerCount * (attention + mlp + 4 * c.hiddenSize) + c.hiddenSize
    }

    static func flatten(_ peer: [String: Any]) -> [String: Double] {
        var out = peer.compactMapValues { $0 as? Double }
        for (batch, rate) in (peer["decode_tokens_per_s"] as? [String: Double]) ?? [:] { out["decode_\(batch)"] = rate }
        return out
    }
}

/// The figures of one `irg bench llm` run and how they print.
private struct Figures {
    let threads: Int
    let weightBytes, bandwidth, bound, spanBound: Double
    let ours, int8, peer: [String: Double]

    func printTable(model: String, prompt: Int, decode: Int) {
        print("irg bench llm: \(model), \(String(format: "%.2f", weightBytes / 1e9)) GB of weights, \(threads) threads for both, prompt \(prompt), \(decode) decode steps")
        print(String(format: "memory read bandwidth (the weight files, %d threads): %.1f GB/s -> decode bound %.2f tok/s; inside a motion span %.2f tok/s",
                     threads, bandwidth / 1e9, bound, spanBound))
        print("case                              swift   transformers   ratio   of bound")
        let rows: [(String, String, Double?)] = [
            ("decode tok/s, batch 1", "decode_1", bound), ("decode tok/s, batch 4 (total)", "decode_4", nil),
            ("decode tok/s, motion span", "decode_1_motion_span", spanBound), ("prefill tok/s", "prefill_tokens_per_s", nil),
        ]
        for (label, key, bound) in rows {
            guard let s = ours[key] else { continue }
            let p = peer[key]
            print(String(format: "%@ %8.2f   %12@   %5@   %@", label.padding(toLength: 30, withPad: " ", startingAt: 0), s,
                         p.map { String(format: "%.2f", $0) } ?? "-", p.map { String(format: "%.2fx", s / $0) } ?? "-",
                         bound.map { String(format: "%.0f%%", 100 * s / $0) } ?? ""))
        }
        print(String(format: "time to first token (prompt %d): swift %.3f s, transformers %@", prompt, ours["ttft_s"]!,
                     peer["ttft_s"].map { String(format: "%.3f s", $0) } ?? "-"))
        print(String(format: "time to first token with all but the last 8 prompt tokens in the prefix cache: swift %.3f s",
                     ours["ttft_shared_prefix_s"]!))
        print(String(format: "peak RSS: swift %.0f MB (%.2fx the weights), transformers %@", ours["peak_rss_mb"]!,
                     ours["peak_rss_mb"]! * 1_048_576 / weightBytes,
                     peer["peak_rss_mb"].map { String(format: "%.0f MB", $0) } ?? "-"))
        if !int8.isEmpty { printInt8Table(decode: decode) }
    }

    /// The int8 rows: against transformers' BF16 decode and int8's own bound.
    func printInt8Table(decode: Int) {
        let bytes = int8["int8_weight_bytes"]!
        let bound = bandwidth / bytes
        print(String(format: "int8 weights (quantized in memory, %.2f GB read per token): decode bound %.2f tok/s", bytes / 1e9, bound))
        print("case                        swift int8   transformers bf16   ratio   of bound")
        for (label, key, bound) in [("decode tok/s, batch 1", "decode_1", Optional(bound)), ("decode tok/s, batch 4 (total)", "decode_4", nil),
                                    ("decode tok/s, motion span", "decode_1_motion_span", nil), ("prefill tok/s", "prefill_tokens_per_s", nil)] {
            guard let s = int8[key] else { continue }
            let p = peer[key]
            print(String(format: "%@ %8.2f   %17@   %5@   %@", label.padding(toLength: 30, withPad: " ", startingAt: 0), s,
                         p.map { String(format: "%.2f", $0) } ?? "-", p.map { String(format: "%.2fx", s / $0) } ?? "-",
                         bound.map { String(format: "%.0f%%", 100 * s / $0) } ?? ""))
        }
        print(String(format: "int8 logit error against the model's own weights (last row of 4 prompts): max %.4f, mean %.4f (logits up to %.2f); top token agrees %.0f%%, greedy agrees for %.0f%% of %d steps",
                     int8["logit_max_abs_error"]!, int8["logit_mean_abs_error"]!, int8["logit_max_abs"]!,
                     100 * int8["top1_agreement"]!, 100 * int8["greedy_agreement"]!, decode))
    }

    func printJSON() {
        let object: [String: Any] = ["threads": threads, "weight_bytes": weightBytes, "bandwidth_bytes_per_s": bandwidth,
                                     "bound_tokens_per_s": bound, "motion_span_bound_tokens_per_s": spanBound,
                                     "swift": ours, "swift_int8": int8, "transformers": peer]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
