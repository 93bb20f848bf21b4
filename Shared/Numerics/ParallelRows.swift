import Foundation

/// Splits `count` independent pieces of work over the cores (for the passes
/// around sgemm), when there are at least `grain` pieces per core.
func parallelRows(_ count: Int, grain: Int = 32, _ body: (Int) -> Void) {
    let workers = min(ComputeThreads.count, max(1, count / grain))
    if workers <= 1 { (0..<count).forEach(body); return }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let work = body
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for row in stride(from: w, to: count, by: workers) { work(row) }
        }
    }
}
