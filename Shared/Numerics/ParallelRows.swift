import Foundation

/// Splits `count` independent pieces of work over the compute threads.
public func parallelRows(_ count: Int, _ body: (Int) -> Void) {
    let workers = min(ComputeThreads.count, count)
    if workers <= 1 { (0..<count).forEach(body); return }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let work = body
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for row in stride(from: w, to: count, by: workers) { work(row) }
        }
    }
}
