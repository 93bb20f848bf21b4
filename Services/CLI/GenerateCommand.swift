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

    @OptionGroup var loop: LoopOptionGroup
    @Option(help: "Seed of the whole loop (0: a fresh one; the session records it).")
    var seed: UInt64 = 0
    @Flag(help: "Argmax decoding.")
    var greedy = false
    @Option(help: "Folder for motion.npy, features.npy, motion.bvh, motion.gif, motion.html, trace.json.")
    var out = "irg-motion"
    @Option(help: "The orchestrator's address.")
    var orchestrator = ServiceSpec.orchestrator.defaultAddress
    @Option(help: "Deadline of the whole loop in milliseconds.")
    var timeout: Int64 = 600_000
    @Option(help: "Shared secret sent as 'authorization' metadata (default: $IRG_AUTH_TOKEN).")
    var authToken: String?

    func run() async throws {
        let token = authToken ?? ProcessInfo.processInfo.environment["IRG_AUTH_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let client = try NngClient(dialing: [orchestrator], authToken: token)
        defer { client.close() }
        var request = Irg_V1_OrchestrateRequest()
        request.text = text
        request.idempotencyKey = UUID().uuidString  // also how the rounds are watched while the loop runs
        request.options = loop.message(sampling: .with {
            $0.seed = seed
            $0.greedy = greedy
        })
        let reply: Irg_V1_OrchestrateResponse
        let (sent, timeout) = (request, self.timeout)
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
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let features = try TensorMessages.features(of: reply.motion, index: 0, dim: 263)
        let joints = reply.motion.hasJoints ? try TensorMessages.joints(of: reply.motion, index: 0)
                                            : try FeatureRecovery.joints(features, jointCount: 22)
        try joints.npy.write(folder.appendingPathComponent("motion.npy"))
        try features.npy.write(folder.appendingPathComponent("features.npy"))
        try BVHExport.bvh(joints).write(to: folder.appendingPathComponent("motion.bvh"), atomically: true, encoding: .utf8)
        for file in ["motion.gif", "motion.html"] {
            try MotionRendering.render([joints], captions: [text], to: folder.appendingPathComponent(file))
        }
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
