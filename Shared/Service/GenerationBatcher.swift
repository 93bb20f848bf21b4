import IRGModels

/// Decodes the requests of concurrent callers together: while a batch runs,
/// new requests queue; when it ends, everything queued (up to `maxBatch`
/// sequences) runs as the next batch, one forward pass per step for all of
/// them. Each request is validated before it queues, so one bad request
/// fails alone and never the batch it would have joined.
///
/// A batch runs to its longest member's end before the next starts (no
/// joining mid-batch); see the README's generator section.
public actor GenerationBatcher {
    private struct Job {
        let requests: [GenerationRequest]
        let continuation: CheckedContinuation<[GenerationResult], Error>
    }

    public let generator: TextGenerator
    public let maxBatch: Int
    private var queue: [Job] = []
    private var draining = false
    /// Sequences per batch run so far (for tests and stats).
    public private(set) var batchSizes: [Int] = []

    public init(generator: TextGenerator, maxBatch: Int = 8) {
        (self.generator, self.maxBatch) = (generator, max(1, maxBatch))
    }

    public func generate(_ requests: [GenerationRequest]) async throws -> [GenerationResult] {
        for r in requests { try generator.validate(r) }
        guard !requests.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(Job(requests: requests, continuation: continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = nextBatch()
            let requests = batch.flatMap(\.requests)
            batchSizes.append(requests.count)
            let generator = self.generator
            do {
                var results = try await ComputeQueue.run { try generator.generate(requests)[...] }
                for job in batch {
                    job.continuation.resume(returning: Array(results.prefix(job.requests.count)))
                    results = results.dropFirst(job.requests.count)
                }
            } catch {
                for job in batch { job.continuation.resume(throwing: error) }
            }
        }
        draining = false
    }

    /// Queued jobs in order while they fit `maxBatch` (always at least one).
    private func nextBatch() -> [Job] {
        var batch = [queue.removeFirst()]
        var count = batch[0].requests.count
        while let next = queue.first, count + next.requests.count <= maxBatch {
            batch.append(queue.removeFirst())
            count += next.requests.count
        }
        return batch
    }
}
