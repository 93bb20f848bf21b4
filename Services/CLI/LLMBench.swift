import ArgumentParser
import Foundation
import IRGModels
import IRGNumerics

/// `irg bench llm`: the Gemma2 engine on a Gemma2-2b-shaped checkpoint
/// (Scripts/make_bench_gemma2.py) against HF transformers on the same
/// threads in the same run, and against the memory-bandwidth bound: decode
/// streams every weight once per step, so tokens/s <= bandwidth / bytes per token.
///
/// Why rounds: this machine's memory bandwidth drifts (44 to 77 GB/s from
/// minute to minute), which moved one-shot ratios by a third. Each round
/// measures every case on both engines one right after the other (the peer
/// stays loaded, `bench_llm.py --serve`) and the bandwidth at its end; the
/// table gives medians over rounds, ratios and fractions of the bound taken
/// within each round. The bandwidth is read over the model's own packed
/// matrices, so the bound counts the pages (huge pages) the engine reads.
struct LLMBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm", abstract: "Gemma2 decode/prefill speed against transformers and the bandwidth bound.")

    @Option(help: "Model folder (python3 Scripts/make_bench_gemma2.py DIR writes a 2.6B random BF16 one).")
    var model: String

    @Option(help: "Prompt tokens (prefill and the context decoding starts from).")
    var prompt = 128

    @Option(help: "Timed decode steps.")
    var decode = 16

    @Option(help: "Rounds, each measuring every case on both engines in turn; the table gives medians.")
    var rounds = 3

    @Option(help: "The Python peer; \"none\" skips it.")
    var reference: String = "Scripts/reference/bench_llm.py"

    @Flag(help: "Also quantize the model to int8 in memory (as `irg llm quantize` does) and measure it: speed, and its logits against the model's own.")
    var int8 = false

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    func validate() throws {
        guard rounds >= 1, prompt >= 2, decode >= 1 else { throw ValidationError("--rounds and --decode must be at least 1, --prompt at least 2") }
    }

    func run() throws {
        let threads = ComputeThreads.count
        let folder = URL(fileURLWithPath: model)
        var gemma = try motionStep(model) { try Gemma2Model(folder: folder) }
        let peer = reference == "none" ? nil
            : try ReferencePeer(script: reference, arguments: [model, "\(threads)", "\(prompt)", "\(decode)"])
        let span = gemma.config.vocabSize >= 256_514 ? 256_001 ..< 256_514 : nil
        var figures = LLMBenchFigures(threads: threads, weightBytes: Double(gemma.weightBytes),
                              motionSpanShare: Self.motionSpanShare(gemma.config), peerVersions: peer?.greeting ?? [:])
        for r in 0..<rounds {
            figures.rounds.append(try Self.round(gemma, peer: peer, prompt: prompt, decode: decode, span: span))
            if r == 0 { figures.extra["peak_rss_mb"] = peakResidentMegabytes() }
            figures.rounds[r].bandwidth = Self.readBandwidth(gemma, threads: threads)
        }
        figures.extra["ttft_shared_prefix_s"] = try Self.sharedPrefixTTFT(gemma, prompt: prompt)
        if let peer { figures.extra["transformers_peak_rss_mb"] = try Self.numbers(peer.ask("rss"))["peak_rss_mb"] }
        if int8 {
            figures.int8 = try Self.quantizeMeasuringError(&gemma, prompt: prompt, decode: decode)
            for r in 0..<rounds {
                figures.int8Rounds.append(try Self.round(gemma, peer: peer, prompt: prompt, decode: decode, span: span))
                figures.int8Rounds[r].bandwidth = Self.readBandwidth(gemma, threads: threads)
            }
        }
        peer?.finish()
        json ? figures.printJSON() : figures.printTable(model: model, prompt: prompt, decode: decode)
    }
}
