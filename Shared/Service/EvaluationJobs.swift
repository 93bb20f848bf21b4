import Foundation
import IRGEvaluation
import IRGModels
import IRGMotion
import IRGRPC

/// Evaluation jobs of one irg-evaluator: each runs the HumanML3D protocol on
/// a thread of its own, independent of the client that started it (a client
/// may leave and ask again later), and writes its report into its folder.
/// Finished reports outlive the process: a job id the registry no longer
/// holds is looked up on disk as `<jobs folder>/<id>/report.json`.
public actor EvaluationJobs {
    public enum State: Int32, Sendable { case queued = 1, running, succeeded, failed }

    public struct Status: Sendable {
        public var state = State.queued
        public var done = 0, total = 0
        public var started = ContinuousClock.now
        public var folder: URL
        public var report: EvaluationReport?
        public var error: String?

        public var samplesPerSecond: Double {
            let elapsed = (ContinuousClock.now - started).components
            return Double(done) / max(Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18, 1e-9)
        }
        public var etaSeconds: Double { Double(total - done) / max(samplesPerSecond, 1e-9) }
    }

    let jobsFolder: URL
    private var jobs: [String: Status] = [:]

    public init(folder: URL) { jobsFolder = folder }

    /// Starts the protocol over a source of the model's motions; returns the job id.
    public func start(_ evaluation: EvaluationProtocol, source: MotionSource, output: URL?) -> String {
        let id = UUID().uuidString.lowercased()
        let folder = output ?? jobsFolder.appendingPathComponent(id)
        jobs[id] = Status(folder: folder)
        Thread.detachNewThread { [self] in
            let result = Result {
                try evaluation.run(source: source,
                                   progress: { done, total in Task { await self.progress(id, done: done, total: total) } })
            }
            Task { await self.finish(id, result) }
        }
        return id
    }

    public func status(_ id: String) throws -> Status {
        if let status = jobs[id] { return status }
        let folder = jobsFolder.appendingPathComponent(id)
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("report.json")),
              let report = try? EvaluationReport.decoder.decode(EvaluationReport.self, from: data) else {
            throw RPCError(.notFound, "no evaluation job '\(id)'")
        }
        return Status(state: .succeeded, done: report.samples * report.repeats, total: report.samples * report.repeats,
                      folder: folder, report: report)
    }

    private func progress(_ id: String, done: Int, total: Int) {
        guard var status = jobs[id], status.state != .succeeded, status.state != .failed else { return }
        if status.state == .queued { status.started = .now }
        (status.state, status.done, status.total) = (.running, max(status.done, done), total)
        jobs[id] = status
    }

    private func finish(_ id: String, _ result: Result<EvaluationReport, Error>) {
        guard var status = jobs[id] else { return }
        do {
            let report = try result.get()
            try report.write(to: status.folder)
            // The progress total also counts MultiModality's motions.
            (status.state, status.report) = (.succeeded, report)
            status.total = max(status.total, report.samples * report.repeats)
            status.done = status.total
        } catch {
            (status.state, status.error) = (.failed, "\(error)")
        }
        jobs[id] = status
    }
}
