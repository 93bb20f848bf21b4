import ArgumentParser
import Foundation
import IRGMetrics
import IRGModels
import IRGMotion
import IRGNumerics

/// `irg bench eval`: the evaluator's embedding throughput and the benchmark
/// metrics over HumanML3D's test-split size, against the Python reference
/// (PyTorch evaluator, NumPy/SciPy metrics) on the same threads in the same
/// run, with the full protocol (4,384 motions x 20 repeats) estimated from both.
struct EvalBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluator embeddings and benchmark metrics against PyTorch + NumPy/SciPy.")

    @Option(help: "Timed repetitions per case (the median is reported).")
    var repeats: Int = 5

    @Option(help: "The Python peer.")
    var reference: String = "Scripts/reference/bench_eval.py"

    /// Lengths of the mixed batch: 40..196 frames, as the Python peer's.
    static let mixedLengths = (0..<32).map { 40 + ($0 * 5 * 4) % 160 }
    static let testSplit = 4384
    static let protocolRepeats = 20

    func run() throws {
        OpenBLASCoreType.preferSkylakeX()
        let threads = referenceThreads()
        let evaluator = try TextMotionEvaluator(DeterministicWeights(seed: 11), normalization: Normalization(
            mean: [Float](repeating: 0, count: 263), std: [Float](repeating: 1, count: 263)))
        var random = SeededRandom(seed: 1)
        let noise = { Float(Double(random.next() >> 11) * 0x1p-53 * 2 - 1) }
        let motions = { (lengths: [Int]) in lengths.map { n in MotionFeatures(frames: n, dim: 263, values: (0..<n * 263).map { _ in noise() }) } }
        let full = motions([Int](repeating: 196, count: 32)), mixed = motions(Self.mixedLengths)
        let words = (0..<200).map { "w\($0)" } + ["unk", "sos", "eos"]
        let vectorizer = try WordVectorizer(words: words, vectors: (0..<words.count * 300).map { _ in noise() })
        let captions = try (0..<32).map { i in try TaggedCaption(tagged: (0..<(4 + i % 17)).map { "w\(($0 * 31 + i) % 200)/NOUN" }.joined(separator: " ")) }
        var swift: [String: Double] = [:]
        swift["motion_32_196"] = try medianSeconds(repeats) { _ = try evaluator.embed(motions: full) }
        swift["motion_32_mixed"] = try medianSeconds(repeats) { _ = try evaluator.embed(motions: mixed) }
        swift["text_32"] = try medianSeconds(repeats) { _ = try evaluator.embed(captions: captions, vectorizer: vectorizer) }
        let table = { EmbeddingMatrix(rows: Self.testSplit, dim: 512, values: (0..<Self.testSplit * 512).map { _ in Double(noise()) }) }
        let (t, m, g) = (table(), table(), table())
        swift["metrics_4384"] = try medianSeconds(repeats) { _ = try EmbeddingMetrics(texts: t, motions: m, groundTruth: g, seed: 0) }
        let peak = peakResidentMegabytes()
        let python = try runReferenceScript(reference, ["\(threads)", "\(repeats)"]).compactMapValues { $0 as? Double }
        report(swift: swift, python: python, threads: threads, peak: peak)
    }

    private func report(swift: [String: Double], python: [String: Double], threads: Int, peak: Double) {
        let coreType = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "auto-detected"
        print("Evaluator (HumanML3D sizes), \(threads) threads for both; median of \(repeats); OpenBLAS kernels: \(coreType)")
        print("case                          swift ms   python ms   ratio   swift items/s")
        let rows: [(String, String, Double)] = [
            ("32 motions x 196 frames", "motion_32_196", 32), ("32 motions, 40-196 frames", "motion_32_mixed", 32),
            ("32 captions", "text_32", 32), ("metrics, 4,384 rows", "metrics_4384", 1),
        ]
        for (label, key, items) in rows {
            let (s, p) = (swift[key]!, python[key]!)
            print(String(format: "%@ %9.1f  %10.1f  %5.2fx  %14.1f", label.padding(toLength: 28, withPad: " ", startingAt: 0), s * 1e3, p * 1e3, p / s, items / s))
        }
        // One repeat of the protocol: ground-truth and generated motions and their captions, then the metrics.
        let batches = Double(Self.testSplit) / 32
        for (profile, key) in [("196 frames", "motion_32_196"), ("40-196 frames", "motion_32_mixed")] {
            let repeatTime = { (r: [String: Double]) in batches * (2 * r[key]! + r["text_32"]!) + r["metrics_4384"]! }
            let (s, p) = (repeatTime(swift), repeatTime(python))
            print(String(format: "full protocol (%@), 4,384 x %d repeats: swift %.0f s, python %.0f s, %.2fx", profile,
                         Self.protocolRepeats, s * Double(Self.protocolRepeats), p * Double(Self.protocolRepeats), p / s))
        }
        print(String(format: "peak RSS: swift %.0f MB, python %.0f MB", peak, python["peak_rss_mb"] ?? 0))
    }
}
