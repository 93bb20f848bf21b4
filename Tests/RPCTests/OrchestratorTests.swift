import Foundation
import IRGProto
@testable import IRGRPC
import IRGService
import Testing

/// irg-orchestrator against real processes on the fixture models: the tiny
/// Gemma2 (irg-generator), the 512-code VQ-VAE (irg-tokenizer), the small
/// evaluator (irg-assessor), sessions in a SQLite file.
@Suite(.serialized) struct OrchestratorTests {
    static let fixtures = TokenizerServiceTests.fixtures

    /// The four services, each its own process.
    final class LoopSuite: @unchecked Sendable {
        let folder: URL
        let addresses: [String: String]
        var processes: [String: Process] = [:]
        let client: NngClient

        init(orchestratorArguments: [String] = [], startGenerator: Bool = true) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("irg-loop-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            addresses = Dictionary(uniqueKeysWithValues: ["generator", "tokenizer", "assessor", "orchestrator"].map { ($0, freshAddress()) })
            client = try NngClient(dialing: [addresses["orchestrator"]!])  // nng dials again until it is up
            processes["tokenizer"] = try ProcessTests.launch("irg-tokenizer", ["--listen", addresses["tokenizer"]!,
                "--checkpoint", OrchestratorTests.fixtures.appendingPathComponent("ModelTests/Fixtures/vq/codes512").path])
            if startGenerator { try startGeneratorProcess(["--listen", addresses["generator"]!]) }
            processes["assessor"] = try ProcessTests.launch("irg-assessor", ["--listen", addresses["assessor"]!,
                "--evaluator", AssessorServiceTests.evaluator.path, "--tokenizer", addresses["tokenizer"]!])
            try startOrchestrator(orchestratorArguments)
        }

        /// The tiny Gemma2 with a 2,048-token context instead of 256 (RoPE has no learned
        /// positions, so the same weights serve it), room for the loop's longer prompts.
        func model() throws -> URL {
            let source = OrchestratorTests.fixtures.appendingPathComponent("LanguageModelTests/Fixtures/gemma2/model_a")
            let model = folder.appendingPathComponent("model")
            guard !FileManager.default.fileExists(atPath: model.path) else { return model }
            try FileManager.default.copyItem(at: source, to: model)
            let configURL = model.appendingPathComponent("config.json")
            var config = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as! [String: Any]
            config["max_position_embeddings"] = 2048
            try JSONSerialization.data(withJSONObject: config).write(to: configURL)
            return model
        }

        func startGeneratorProcess(_ endpoint: [String]) throws {
            processes["generator"] = try ProcessTests.launch("irg-generator", endpoint + ["--model", try model().path])
        }

        func startOrchestrator(_ extra: [String] = []) throws {
            let downstream = extra.contains("--generator-pool") ? [] : ["--generator", addresses["generator"]!]
            processes["orchestrator"] = try ProcessTests.launch("irg-orchestrator", ["--listen", addresses["orchestrator"]!,
                "--tokenizer", addresses["tokenizer"]!, "--assessor", addresses["assessor"]!,
                "--sessions", folder.appendingPathComponent("sessions.sqlite").path] + downstream + extra)
        }

        func generate(_ text: String = "a person walks forward", timeoutMs: Int64 = 60_000,
                      _ populate: (inout Irg_V1_OrchestrateRequest) -> Void = { _ in }) async throws -> Irg_V1_OrchestrateResponse {
            var request = Irg_V1_OrchestrateRequest()
            request.text = text
            request.options.sampling.maxNewTokens = 24
            request.options.sampling.seed = 7
            populate(&request)
            return try await client.call(Irg_V1_MotionOrchestrator.generate, request, options: CallOptions(timeoutMilliseconds: timeoutMs))
        }

        func session(_ id: String) async throws -> Irg_V1_Session {
            try await client.call(Irg_V1_MotionOrchestrator.getSession, .with { $0.sessionID = id })
        }

        /// Calls per method the generator served (Admin/Stats).
        func generatorCalls() async throws -> [String: UInt64] {
            let generator = try NngClient(dialing: [addresses["generator"]!])
            defer { generator.close() }
            let stats = try await generator.call(Irg_V1_Admin.stats, .init())
            return Dictionary(uniqueKeysWithValues: stats.methods.map { ($0.method.components(separatedBy: "/").last!, $0.calls) })
        }

        /// Stops every process and removes the folder; each test calls it in a `defer`,
        /// which also keeps the suite alive to the test's end.
        func close() {
            client.close()
            for process in processes.values where process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// Polls an async condition (a call to the services) until it holds or the time is up.
    static func until(timeoutMs: Int = 30_000, _ condition: () async -> Bool) async -> Bool {
        let limit = ContinuousClock.now + .milliseconds(timeoutMs)
        while ContinuousClock.now < limit {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    /// A generator whose model answers its assessment with no instruction (a stand-in
    /// for what a small trained model did in the demo's evaluation): the loop stops with
    /// `error` on that round and still returns its motion.
    @Test func anEmptyInstructionStopsTheLoopKeepingTheMotion() async throws {
        let suite = try LoopSuite(startGenerator: false)
        defer { suite.close() }
        let router = Router()
        router.register(service: Irg_V1_MotionGenerator.serviceName)
        router.implement(Irg_V1_MotionGenerator.generate) { _, _ in
            .with { $0.samples = [.with { $0.codes = .with { $0.codes = [5, 9, 14, 2, 7, 7] } }] }
        }
        router.implement(Irg_V1_MotionGenerator.assess) { _, _ in .with { $0.assessment = "The motion shows walking." } }
        let generator = try startServer([.listen(suite.addresses["generator"]!)], router: router)
        defer { generator.close() }
        let reply = try await suite.generate { $0.options.maxRounds = 3 }
        #expect(reply.stopReason == "error")
        #expect(reply.trace.count == 1 && reply.trace[0].error == "the model's assessment gave no refinement instruction")
        #expect(reply.codes.codes == [5, 9, 14, 2, 7, 7] && reply.trace[0].hasTerms)
    }

    @Test func explicitLoopEndToEnd() async throws {
        let suite = try LoopSuite()
        defer { suite.close() }
        let reply = try await suite.generate { $0.options.maxRounds = 2; $0.options.patience.rounds = 0 }
        #expect(["satisfied", "max_rounds"].contains(reply.stopReason), "\(reply.stopReason)")
        let rewards = reply.trace.map(\.reward)
        #expect(reply.trace.count >= 1 && reply.trace.count <= 3)
        #expect(Int(reply.bestRound) == rewards.indices.max { rewards[$0] < rewards[$1] || (rewards[$0] == rewards[$1] && $0 > $1) },
                "the best round is the argmax of the rewards (ties: the earlier)")
        #expect(reply.codes == reply.trace[Int(reply.bestRound)].codes && reply.motion.hasFeatures && reply.motion.hasJoints)
        #expect(reply.trace.allSatisfy { $0.hasTerms && $0.terms.reward == $0.reward && !$0.calls.isEmpty })
        let calls = try await suite.generatorCalls()
        let assessed = reply.trace.filter { !$0.instruction.isEmpty }.count
        #expect(calls["Generate"] == 1 && calls["Assess"] == UInt64(assessed) && calls["Refine", default: 0] == UInt64(reply.trace.count - 1))
        let session = try await suite.session(reply.sessionID)
        #expect(session.turns.count == 1 && session.turns[0].state == "done" && session.turns[0].rounds == reply.trace)
        #expect(session.turns[0].options.sampling.seed == 7 && session.turns[0].userMessage == "a person walks forward")
    }

    @Test func plateauNativeAndBestOfN() async throws {
        let suite = try LoopSuite()
        defer { suite.close() }
        let plateau = try await suite.generate { $0.options.maxRounds = 6; $0.options.patience.rounds = 1 }
        #expect(["satisfied", "plateau"].contains(plateau.stopReason) || plateau.trace.count == 7, "\(plateau.stopReason)")
        let native = try await suite.generate { $0.options.mode = .native; $0.options.sampling.maxNewTokens = 64 }
        #expect(["transcript", "error"].contains(native.stopReason))
        let best = try await suite.generate { $0.options.mode = .bestOfN; $0.options.numCandidates = 3 }
        #expect(best.stopReason == "single" && best.trace.count == 3 && Set(best.trace.map(\.candidate)) == [0, 1, 2])
        #expect(Set(best.trace.map(\.codes.codes)).count > 1, "distinct seeds give distinct candidates")
        let refined = try await suite.generate { $0.options.mode = .bestOfN; $0.options.numCandidates = 2; $0.options.refineBest = true
            $0.options.maxRounds = 1 }
        #expect(refined.trace.count >= 2 && refined.trace.count <= 3 && ["satisfied", "max_rounds"].contains(refined.stopReason))
        let sessions = try await suite.client.call(Irg_V1_MotionOrchestrator.listSessions, .with { $0.pageSize = 2 })
        #expect(sessions.sessions.count == 2 && sessions.sessions[0].sessionID == refined.sessionID && !sessions.nextPageToken.isEmpty)
        let rest = try await suite.client.call(Irg_V1_MotionOrchestrator.listSessions, .with { $0.pageSize = 10; $0.pageToken = sessions.nextPageToken })
        #expect(rest.sessions.count == 2 && rest.sessions.last!.sessionID == plateau.sessionID)
    }

    @Test func sameSeedSameLoopAndTheIdempotencyKey() async throws {
        let suite = try LoopSuite()
        defer { suite.close() }
        let first = try await suite.generate { $0.idempotencyKey = "k1"; $0.options.maxRounds = 1 }
        let again = try await suite.generate { $0.idempotencyKey = "k1"; $0.options.maxRounds = 1 }
        #expect(again.sessionID == first.sessionID && again.trace == first.trace && again.codes == first.codes)
        let before = try await suite.generatorCalls()
        #expect(before["Generate"] == 1, "the second call with the key ran nothing")
        let other = try await suite.generate { $0.idempotencyKey = "k2"; $0.options.maxRounds = 1 }
        #expect(other.sessionID != first.sessionID && other.trace.map(\.codes) == first.trace.map(\.codes), "seed 7 reproduces the loop")
    }

    @Test func deadlineShorterThanTheLoopKeepsThePartialSession() async throws {
        let suite = try LoopSuite()
        defer { suite.close() }
        _ = try await suite.generate { $0.options.maxRounds = 0 }  // warm the models
        let code = await failureCode { _ = try await suite.generate(timeoutMs: 1_500) { $0.options.maxRounds = 20; $0.options.patience.rounds = 0
            $0.options.sampling.maxNewTokens = 200 } }
        #expect(code == .deadlineExceeded)
        let sessions = try await suite.client.call(Irg_V1_MotionOrchestrator.listSessions, .init())
        #expect(await Self.until { (try? await suite.session(sessions.sessions[0].sessionID))?.turns.first?.state == "failed" })
    }

    @Test func killedMidLoopTheSessionIsKeptAndResumes() async throws {
        let suite = try LoopSuite()
        defer { suite.close() }
        let long = Task { try await suite.generate { $0.idempotencyKey = "resume-me"; $0.options.maxRounds = 8; $0.options.patience.rounds = 0 } }
        var sessionID = ""
        #expect(await Self.until(timeoutMs: 60_000) {
            guard let list = try? await suite.client.call(Irg_V1_MotionOrchestrator.listSessions, .init()),
                  let id = list.sessions.first?.sessionID,
                  let session = try? await suite.session(id) else { return false }
            sessionID = id
            return session.turns[0].rounds.count >= 2
        })
        kill(suite.processes["orchestrator"]!.processIdentifier, SIGKILL)
        suite.processes["orchestrator"]!.waitUntilExit()
        _ = try? await long.value
        try suite.startOrchestrator()
        // On a loaded machine the new process takes a while to start: wait until it serves.
        #expect(await Self.until(timeoutMs: 120_000) {
            (try? await suite.client.healthStatus(service: "", timeoutMilliseconds: 2_000)) == "SERVING"
        })
        let kept = try await suite.session(sessionID)
        #expect(kept.turns[0].state == "interrupted" && kept.turns[0].rounds.count >= 2)
        let resumed = try await suite.generate { $0.idempotencyKey = "resume-me"; $0.options.maxRounds = 8; $0.options.patience.rounds = 0 }
        #expect(resumed.sessionID == sessionID)
        #expect(Array(resumed.trace.prefix(kept.turns[0].rounds.count)) == kept.turns[0].rounds, "the finished rounds are kept, not run again")
    }

    @Test func aGeneratorThatDialsInMidRunIsUsed() async throws {
        let pool = freshAddress()
        let suite = try LoopSuite(orchestratorArguments: ["--generator-pool", pool], startGenerator: false)
        defer { suite.close() }
        let waiting = Task { try await suite.generate { $0.options.maxRounds = 0 } }
        try await Task.sleep(for: .milliseconds(500))
        try suite.startGeneratorProcess(["--dial", pool])
        let reply = try await waiting.value
        #expect(!reply.trace.isEmpty)
    }

    @Test func badInputGetsAClearStatus() async throws {
        let suite = try LoopSuite()
        defer { suite.close() }
        let cases: [(String, StatusCode, (inout Irg_V1_OrchestrateRequest) -> Void)] = [
            ("empty text", .invalidArgument, { $0.text = "  " }),
            ("too many rounds", .invalidArgument, { $0.options.maxRounds = 21 }),
            ("too many candidates", .invalidArgument, { $0.options.mode = .bestOfN; $0.options.numCandidates = 17 }),
            ("unknown mode", .invalidArgument, { $0.options.mode = .UNRECOGNIZED(9) }),
        ]
        for (what, expected, populate) in cases {
            #expect(await failureCode { _ = try await suite.generate("a person walks forward", populate) } == expected, "\(what)")
        }
        #expect(await failureCode { _ = try await suite.session("nope") } == .notFound)
        // An orchestrator whose assessor is unreachable says so.
        let lonely = freshAddress()
        let process = try ProcessTests.launch("irg-orchestrator", ["--listen", lonely, "--generator", suite.addresses["generator"]!,
            "--tokenizer", suite.addresses["tokenizer"]!, "--assessor", freshAddress(),
            "--sessions", suite.folder.appendingPathComponent("other.sqlite").path])
        defer { process.terminate(); process.waitUntilExit() }
        let client = try NngClient(dialing: [lonely])
        defer { client.close() }
        await #expect(throws: RPCError.self) {
            try await client.call(Irg_V1_MotionOrchestrator.generate, .with { $0.text = "walk" }, options: CallOptions(timeoutMilliseconds: 20_000))
        }
    }
}
