import CIRGKernels
import Foundation
import Testing

/// The kernels' spinning pool: every worker index runs exactly once per job,
/// whatever the worker counts of consecutive jobs (a pool thread that sits
/// out one job must not join the next one twice), and concurrent callers do
/// not wait on each other.
@Suite struct ThreadPoolTests {
    @Test func everyWorkerRunsOncePerJob() {
        let counts = UnsafeMutablePointer<Int32>.allocate(capacity: 8)
        defer { counts.deallocate() }
        for job in 0..<500 {
            let workers = [1, 5, 2, 8, 3][job % 5]
            counts.initialize(repeating: 0, count: 8)
            irg_parallel(Int32(workers), { context, worker in
                let counts = context!.assumingMemoryBound(to: Int32.self)
                counts[Int(worker)] += 1
            }, counts)
            #expect((0..<8).map { counts[$0] } == (0..<8).map { $0 < workers ? 1 : 0 }, "job \(job) with \(workers) workers")
        }
    }

    @Test func concurrentCallersEachFinish() async {
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let total = UnsafeMutablePointer<Int32>.allocate(capacity: 4)
                    defer { total.deallocate() }
                    var done = 0
                    for _ in 0..<200 {
                        total.initialize(repeating: 0, count: 4)
                        irg_parallel(4, { context, worker in
                            context!.assumingMemoryBound(to: Int32.self)[Int(worker)] = 1
                        }, total)
                        done += (0..<4).allSatisfy { total[$0] == 1 } ? 1 : 0
                    }
                    return done
                }
            }
            for await done in group { #expect(done == 200) }
        }
    }
}
