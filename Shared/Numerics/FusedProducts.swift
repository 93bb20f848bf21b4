import CIRGKernels

extension WeightMatrix {
    /// y_i = x W_i^T for several matrices that read the same x (Gemma2's q,
    /// k and v; gate and up). When all are bf16, or all int8 on a VNNI CPU,
    /// they run in one parallel pass that splits them as one matrix (and int8
    /// quantizes x once): a decode step makes 4 parallel calls a layer
    /// instead of 7. Otherwise they run one after another.
    public static func apply(_ matrices: [WeightMatrix], to x: UnsafePointer<Float>, rows: Int,
                             into outputs: [UnsafeMutablePointer<Float>], threads: Int = ComputeThreads.count) {
        precondition(matrices.count == outputs.count, "one output per matrix")
        guard rows > 0 else { return }
        let whole = matrices.map { 0..<$0.outFeatures }
        if case let panels = matrices.compactMap(\.bfloat16Panels), panels.count == matrices.count {
            withJobs(matrices.count, { i, use in
                panels[i].withJob(x, rows: rows, into: outputs[i], outputs: whole[i], accumulate: false, use)
            }) { irg_bf16_matmul_many($0, Int32($0.count), Int32(threads)) }
        } else if Int8Panels.kernelAvailable, case let panels = matrices.compactMap(\.int8Panels), panels.count == matrices.count {
            withJobs(matrices.count, { i, use in
                panels[i].withJob(x, rows: rows, into: outputs[i], outputs: whole[i], accumulate: false, use)
            }) { irg_int8_matmul_many($0, Int32($0.count), Int32(threads)) }
        } else {
            for (matrix, y) in zip(matrices, outputs) { matrix.apply(x, rows: rows, into: y, threads: threads) }
        }
    }

    private var bfloat16Panels: BFloat16Panels? {
        if case .bfloat16(let panels) = storage { return panels }
        return nil
    }

    private var int8Panels: Int8Panels? {
        if case .int8(let panels) = storage { return panels }
        return nil
    }

    /// Collects one kernel job per matrix, each made inside the closure that
    /// keeps its pointers valid, and hands them all to `body` at the innermost level.
    private static func withJobs<Job>(_ count: Int, _ makeJob: (Int, (Job) -> Void) -> Void, _ body: ([Job]) -> Void) {
        withoutActuallyEscaping(makeJob) { makeJob in
            withoutActuallyEscaping(body) { body in
                func collect(_ jobs: [Job]) {
                    guard jobs.count < count else { return body(jobs) }
                    makeJob(jobs.count) { collect(jobs + [$0]) }
                }
                collect([])
            }
        }
    }
}
