import ArgumentParser
import Foundation
import IRGModels
import IRGMotion
import IRGNumerics

/// `irg bench vq`: the motion VQ-VAE's encode and decode latency for one
/// 196-frame motion and a batch of 32, against PyTorch on the same number of
/// threads in the same run, with the FLOP rate reached and peak memory.
struct VQBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vq", abstract: "VQ-VAE encode/decode against PyTorch (default config, 196 frames, batch 1 and 32).")

    @Option(help: "Timed repetitions per case (the median is reported).")
    var repeats: Int = 9

    @Option(help: "The PyTorch script.")
    var reference: String = "Scripts/reference/bench_vq.py"

    func run() throws {
        OpenBLASCoreType.preferSkylakeX()
        let threads = referenceThreads()
        var weights = DeterministicWeights(seed: 7)
        weights.overrides["vqvae.quantizer.codebook"] = try DeterministicWeights(seed: 8).tensor("codebook", shape: [512, 512])
        let model = try VQVAE(weights)
        var swift: [String: Double] = [:]
        var random = 0.0
        for batch in [1, 32] {
            let motions = (0..<batch).map { _ in (0..<(196 * 263)).map { _ -> Float in random += 0.618; return Float(sin(random)) } }
            let codes = (0..<batch).map { b in (0..<49).map { Int32(($0 * 7 + b) % 512) } }
            swift["encode_\(batch)"] = try medianSeconds(repeats) { _ = try model.encode(motions) }
            swift["decode_\(batch)"] = try medianSeconds(repeats) { _ = try model.decode(codes) }
        }
        let peak = peakResidentMegabytes()
        let torch = try runReference(threads: threads)
        let flops = (encode: VQFlops.encode(frames: 196), decode: VQFlops.decode(codes: 49))
        let coreType = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "auto-detected"
        print("VQ-VAE default config, 196 frames per motion, \(threads) threads for both; median of \(repeats); OpenBLAS kernels: \(coreType)")
        print("case        swift ms   torch ms   ratio   swift GFLOP/s   swift frames/s")
        for (name, perMotion) in [("encode", flops.encode), ("decode", flops.decode)] {
            for batch in [1, 32] {
                let key = "\(name)_\(batch)", s = swift[key]!, t = torch[key]!
                print(String(format: "%@ x%-3d %9.2f  %9.2f  %5.2fx  %14.1f  %15.0f", name, batch, s * 1e3, t * 1e3, t / s,
                             perMotion * Double(batch) / s / 1e9, Double(196 * batch) / s))
            }
        }
        print(String(format: "peak RSS: swift %.0f MB, torch %.0f MB", peak, torch["peak_rss_mb"] ?? 0))
    }

    private func runReference(threads: Int) throws -> [String: Double] {
        try runReferenceScript(reference, ["\(threads)", "\(repeats)"]).compactMapValues { $0 as? Double }
    }
}

/// Multiply-adds x 2 of the default config's convolutions.
enum VQFlops {
    static func conv(_ cin: Int, _ cout: Int, _ k: Int, _ t: Int) -> Double { 2 * Double(cin * cout * k * t) }

    static func resnet(_ t: Int) -> Double { 3 * (conv(512, 512, 3, t) + conv(512, 512, 1, t)) }

    static func encode(frames t: Int) -> Double {
        conv(263, 512, 3, t) + conv(512, 512, 4, t / 2) + resnet(t / 2) + conv(512, 512, 4, t / 4) + resnet(t / 4)
            + conv(512, 512, 3, t / 4) + 2 * 512 * 512 * Double(t / 4)
    }

    static func decode(codes n: Int) -> Double {
        conv(512, 512, 3, n) + resnet(n) + conv(512, 512, 3, 2 * n) + resnet(2 * n) + conv(512, 512, 3, 4 * n)
            + conv(512, 512, 3, 4 * n) + conv(512, 263, 3, 4 * n)
    }
}
