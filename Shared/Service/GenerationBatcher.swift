import IRGModels

/// Decodes the requests of concurrent callers together, one forward pass
/// per step for all of them (continuous batching): between two steps,
/// queued requests join the running batch while it holds fewer than
/// `maxBatch` sequences, and a finished sequence leaves at once, so a short
/// request never waits for a long one's end. Each request is validated
/// before it queues, so one bad request fails alone and never the batch it
/// would have joined.
///
/// Beam search does not join: a job with beams waits at the head of the
/// queue until the batch is empty, then runs alone (first come, first served).
public actor GenerationBatcher {
    private final class Job {
        let requests: [GenerationRequest]
        let continuation: CheckedContinuation<[GenerationResult], Error>
        var results: [GenerationResult?]
        var pending: Int

        init(requests: [GenerationRequest], continuation: CheckedContinuation<[GenerationResult], Error>) {
            (self.requests, self.continuation) = (requests, continuation)
            results = Array(repeating: nil, count: requests.count)
            pending = requests.count
        }

        var usesBeams: Bool { requests.contains { $0.settings.beams > 1 } }
    }

    public let generator: TextGenerator
    public let maxBatch: Int
    private let batch: DecodingBatch
    private var queue: [Job] = []
    /// Which job and request each running ticket answers.
    private var owners: [Int: (job: Job, index: Int)] = [:]
    private var draining = false
    /// Sequences in the batch at each step so far (for tests and stats).
    public private(set) var batchSizes: [Int] = []

    public init(generator: TextGenerator, maxBatch: Int = 8) {
        (self.generator, self.maxBatch) = (generator, max(1, maxBatch))
        batch = DecodingBatch(generator: generator)
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
        while !queue.isEmpty || !batch.isEmpty {
            if batch.isEmpty, let job = queue.first, job.usesBeams {
                queue.removeFirst()
                await runAlone(job)
                continue
            }
            admitQueued()
            batchSizes.append(batch.count)
            let batch = self.batch
            do {
                let finished = try await ComputeQueue.run { try batch.step() }
                for (ticket, result) in finished { complete(ticket, with: result) }
            } catch {
                failRunning(error)
            }
        }
        draining = false
    }

    /// Moves queued jobs into the batch, in order, while they fit (a job
    /// larger than `maxBatch` joins an empty batch).
    private func admitQueued() {
        while let job = queue.first, !job.usesBeams, batch.isEmpty || batch.count + job.requests.count <= maxBatch {
            queue.removeFirst()
            for (index, request) in job.requests.enumerated() { owners[batch.admit(request)] = (job, index) }
        }
    }

    private func complete(_ ticket: Int, with result: GenerationResult) {
        guard let (job, index) = owners.removeValue(forKey: ticket) else { return }
        job.results[index] = result
        job.pending -= 1
        if job.pending == 0 { job.continuation.resume(returning: job.results.map { $0! }) }
    }

    /// A step failed (requests are validated first, so this is not expected):
    /// every running job gets the error and the batch starts afresh.
    private func failRunning(_ error: Error) {
        var failed: Set<ObjectIdentifier> = []
        for (_, owner) in owners where failed.insert(ObjectIdentifier(owner.job)).inserted {
            owner.job.continuation.resume(throwing: error)
        }
        owners = [:]
        batch.clear()
    }

    private func runAlone(_ job: Job) async {
        batchSizes.append(job.requests.count)
        let (generator, requests) = (self.generator, job.requests)
        do {
            job.continuation.resume(returning: try await ComputeQueue.run { try generator.generate(requests) })
        } catch {
            job.continuation.resume(throwing: error)
        }
    }
}
