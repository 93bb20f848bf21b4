import ArgumentParser
import Foundation
import IRGMotion
import IRGProto
import IRGRPC
import IRGService

/// `irg generate TEXT`: the loop through a running orchestrator, each round
/// printed as it finishes, then the motion written as NPY, BVH, GIF and HTML
/// with the trace as JSON.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Text to motion through the orchestrator's generate-assess-refine loop.")

    @Argument(help: "The motion to make, e.g. \"a person walks forward happily\".")
    var text: String

    @OptionGroup var call: OrchestratorCallOptions
    @Option(help: "Folder for motion.npy, features.npy, motion.bvh, motion.gif, motion.html, trace.json.")
    var out = "irg-motion"
    @Option(help: "Sent with the request: a repeat with the same key returns the stored result, or resumes an interrupted loop (default: a fresh UUID).")
    var idempotencyKey: String?

    func run() async throws {
        let client = try call.client()
        defer { client.close() }
        var request = Irg_V1_OrchestrateRequest()
        request.text = text
        request.idempotencyKey = idempotencyKey ?? UUID().uuidString  // also how the rounds are watched while the loop runs
        request.options = call.loopOptions
        let reply: Irg_V1_OrchestrateResponse
        let (sent, timeout) = (request, call.timeout)
        do {
            reply = try await withThrowingTaskGroup(of: Irg_V1_OrchestrateResponse?.self) { group in
                group.addTask {
                    try await client.call(Irg_V1_MotionOrchestrator.generate, sent,
                                          options: CallOptions(timeoutMilliseconds: timeout))
                }
                group.addTask { try await Self.watch(client, key: sent.idempotencyKey); return nil }
                var result: Irg_V1_OrchestrateResponse?
                for try await r in group where r != nil {
                    result = r
                    group.cancelAll()
                }
                return result!
            }
        } catch {
            throw reportFailure(error)
        }
        for round in reply.trace.dropFirst(Self.printed.value) { Self.show(round) }
        print("chosen: round \(reply.bestRound) (reward \(String(format: "%.4f", reply.trace[Int(reply.bestRound)].reward))); stopped: \(reply.stopReason); session \(reply.sessionID)")
        try write(reply)
    }

    /// Rounds printed so far (the watcher and the final print share it).
    static let printed = Counter()

    /// Polls the session of this request and prints each round once it is stored.
    static func watch(_ client: NngClient, key: String) async throws {
        while !Task.isCancelled {
            if let session = try? await client.call(Irg_V1_MotionOrchestrator.getSession, .with { $0.idempotencyKey = key },
                                                    options: CallOptions(timeoutMilliseconds: 2_000, maxAttempts: 1)),
               let turn = session.turns.first {
                for round in turn.rounds.dropFirst(printed.value) where round.hasTerms || !round.error.isEmpty {
                    show(round)
                }
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    static func show(_ round: Irg_V1_Round) {
        printed.increment()
        var line = "round \(round.index)"
        if round.candidate > 0 { line += " (candidate \(round.candidate))" }
        if !round.error.isEmpty {
            print(line + ": " + round.error)
            return
        }
        line += String(format: ": reward %.4f, %d codes, %.0f ms", round.reward, round.codes.codes.count, round.elapsedMs)
        if !round.assessment.isEmpty { line += "\n  assessment: \(round.assessment)" }
        if !round.instruction.isEmpty { line += "\n  instruction: \(round.instruction)" }
        print(line)
    }

    private func write(_ reply: Irg_V1_OrchestrateResponse) throws {
        guard reply.motion.hasFeatures else {
            print("no motion to write: no round made one")
            throw ExitCode.failure
        }
        let folder = URL(fileURLWithPath: out)
        try MotionFiles.write(reply.motion, caption: text, to: folder)
        var trace = reply
        trace.clearMotion()
        try trace.jsonString().write(to: folder.appendingPathComponent("trace.json"), atomically: true, encoding: .utf8)
        print("wrote \(out)/motion.npy, features.npy, motion.bvh, motion.gif, motion.html, trace.json")
    }
}

/// A count shared by the watcher and the command.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
