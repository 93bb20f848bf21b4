import Foundation

/// How many threads the numerical kernels use: IRG_NUM_THREADS, else
/// OPENBLAS_NUM_THREADS (so one setting governs both our kernels and
/// OpenBLAS's, as benchmarks against a peer on N threads need), else every core.
public enum ComputeThreads {
    public static let count: Int = {
        let environment = ProcessInfo.processInfo.environment
        for name in ["IRG_NUM_THREADS", "OPENBLAS_NUM_THREADS"] {
            if let value = environment[name].flatMap(Int.init), value > 0 { return value }
        }
        return ProcessInfo.processInfo.activeProcessorCount
    }()
}
