import Foundation
import IRGMotion
import IRGProto
@testable import IRGRPC
import IRGService
import Testing

/// The bundled demo models (Models/demo) through the real services, each started
/// without a model option, as `irg up` starts them: they load the demo by default.
@Suite(.serialized) struct DemoModelTests {
    static let bundled = DemoModels.folder(.motionllm) != nil

    /// tokenizer, generator, assessor and orchestrator, each its own process.
    final class DemoSuite: @unchecked Sendable {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("irg-demo-\(UUID().uuidString.prefix(8))")
        let addresses = Dictionary(uniqueKeysWithValues: ["generator", "tokenizer", "assessor", "orchestrator"].map { ($0, freshAddress()) })
        var processes: [Process] = []
        let orchestratorArguments: [String]

        init(orchestratorArguments: [String] = []) throws {
            self.orchestratorArguments = orchestratorArguments
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            processes.append(try ProcessTests.launch("irg-tokenizer", ["--listen", addresses["tokenizer"]!]))
            processes.append(try ProcessTests.launch("irg-generator", ["--listen", addresses["generator"]!]))
            processes.append(try ProcessTests.launch("irg-assessor", ["--listen", addresses["assessor"]!, "--tokenizer", addresses["tokenizer"]!]))
            try startOrchestrator()
        }

        /// The orchestrator, on the suite's sessions file.
        func startOrchestrator() throws {
            processes.append(try ProcessTests.launch("irg-orchestrator", ["--listen", addresses["orchestrator"]!,
                "--generator", addresses["generator"]!, "--tokenizer", addresses["tokenizer"]!, "--assessor", addresses["assessor"]!,
                "--sessions", folder.appendingPathComponent("sessions.sqlite").path] + orchestratorArguments))
        }

        /// SIGKILL the orchestrator and start it again on the same sessions file.
        func restartOrchestrator() async throws {
            let orchestrator = processes.removeLast()
            kill(orchestrator.processIdentifier, SIGKILL)
            orchestrator.waitUntilExit()
            try startOrchestrator()
            try await waitUntilServing()
        }

        func client(_ role: String) throws -> NngClient { try NngClient(dialing: [addresses[role]!]) }

        /// Every service answers SERVING (loading the models, and on a busy machine
        /// starting the processes, takes a while; the orchestrator refuses work until
        /// its downstream services are connected).
        func waitUntilServing() async throws {
            for role in ["tokenizer", "generator", "assessor", "orchestrator"] {
                let client = try self.client(role)
                defer { client.close() }
                let serving = await OrchestratorTests.until(timeoutMs: 120_000) {
                    (try? await client.healthStatus(service: "", timeoutMilliseconds: 2_000)) == "SERVING"
                }
                guard serving else { throw RPCError(.unavailable, "the demo \(role) did not start") }
            }
        }

        func close() {
            for process in processes where process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test(.enabled(if: bundled, "Models/demo is not in this checkout")) func theLoopMakesAMotionFromText() async throws {
        let suite = try DemoSuite()
        defer { suite.close() }
        try await suite.waitUntilServing()
        let orchestrator = try suite.client("orchestrator")
        defer { orchestrator.close() }
        var request = Irg_V1_OrchestrateRequest()
        request.text = "a person walks forward happily"
        request.options.sampling.seed = 1
        request.options.maxRounds = 2
        let reply = try await orchestrator.call(Irg_V1_MotionOrchestrator.generate, request, options: CallOptions(timeoutMilliseconds: 120_000))
        #expect(!reply.trace.isEmpty && reply.trace.count <= 3)
        #expect(!reply.codes.codes.isEmpty)
        let joints = try TensorMessages.joints(of: reply.motion, field: "motion")
        #expect(joints.frames == 4 * reply.codes.codes.count && joints.joints == 22)
        #expect(reply.trace.allSatisfy { $0.hasTerms }, "every round is rewarded by the demo evaluator")
    }

    /// A HumanML3D-layout test split of 32 items for a protocol run in seconds: one real
    /// clip (HumanML3D 012314, 169 frames; the Bandai-Namco fixtures are under the
    /// protocol's 40 frames) under three captions.
    static func smallDataset(in folder: URL) throws -> URL {
        let dataset = folder.appendingPathComponent("dataset")
        for sub in ["new_joint_vecs", "texts"] {
            try FileManager.default.createDirectory(at: dataset.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let captions = ["a person walks forward.#a/DET person/NOUN walk/VERB forward/ADV",
                        "a person runs forward.#a/DET person/NOUN run/VERB forward/ADV",
                        "a person waves goodbye angrily.#a/DET person/NOUN wave/VERB goodbye/NOUN angrily/ADV"]
        let clip = OrchestratorTests.fixtures.appendingPathComponent("MotionTests/Fixtures/reference/012314_features.npy")
        var ids: [String] = []
        for i in 0..<32 {
            let caption = captions[i % captions.count]
            let id = String(format: "%06d", i)
            try FileManager.default.copyItem(at: clip, to: dataset.appendingPathComponent("new_joint_vecs/\(id).npy"))
            try "\(caption)#0.0#0.0\n".write(to: dataset.appendingPathComponent("texts/\(id).txt"), atomically: true, encoding: .utf8)
            ids.append(id)
        }
        try ids.joined(separator: "\n").write(to: dataset.appendingPathComponent("test.txt"), atomically: true, encoding: .utf8)
        return dataset
    }

    /// `irg eval run --orchestrator`: loops evaluated by the protocol, both takes, on the demo evaluator.
    @Test(.enabled(if: bundled, "Models/demo is not in this checkout")) func evalRunTakesTheOrchestratorAsItsSource() async throws {
        let suite = try DemoSuite()
        defer { suite.close() }
        try await suite.waitUntilServing()
        let dataset = try Self.smallDataset(in: suite.folder)
        for (mode, take) in [("explicit", "best"), ("best-of-n", "final")] {
            let out = suite.folder.appendingPathComponent("report-\(mode)")
            let (status, printed) = try await ProcessTests.irg(["eval", "run", "--dataset", dataset.path, "--orchestrator", suite.addresses["orchestrator"]!,
                "--tokenizer", suite.addresses["tokenizer"]!, "--mode", mode, "--rounds", "1", "--candidates", "2", "--take", take,
                "--repeats", "1", "--out", out.path])
            #expect(status == 0, "\(mode): \(printed)")
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as? [String: Any]
            let model = try #require(report?["model"] as? [String: Any])
            #expect(model["r_precision_top1"] != nil && model["fid"] != nil, "\(mode)")
        }
    }

    /// What a person checks by eye: "a person walks forward" walks forward. HumanML3D
    /// motions start facing +Z, so the root's Z at the end is how far it went.
    @Test(.enabled(if: bundled, "Models/demo is not in this checkout")) func walkingForwardMovesTheRootForwardAMetre() async throws {
        let suite = try DemoSuite()
        defer { suite.close() }
        try await suite.waitUntilServing()
        let (generator, tokenizer) = (try suite.client("generator"), try suite.client("tokenizer"))
        defer { generator.close(); tokenizer.close() }
        var distances: [Float] = []
        for seed in 1...8 as ClosedRange<UInt64> {
            var request = Irg_V1_GenerateRequest()
            request.text = "a person walks forward"
            request.options.sampling.seed = seed
            let reply = try await generator.call(Irg_V1_MotionGenerator.generate, request, options: CallOptions(timeoutMilliseconds: 60_000))
            let codes = try #require(reply.samples.first).codes
            guard !codes.codes.isEmpty else { distances.append(0); continue }
            let decoded = try await tokenizer.call(Irg_V1_MotionTokenizer.decode, .with { $0.codes = [codes] })
            let joints = try TensorMessages.joints(of: try #require(decoded.motions.first), field: "motions[0]")
            let last = (joints.frames - 1) * joints.joints * 3
            distances.append(joints.values[last + 2] - joints.values[2])
        }
        let walked = distances.filter { $0 > 1 }.count
        print("demo 'a person walks forward': root Z travel per seed (m): \(distances.map { String(format: "%.2f", $0) })")
        #expect(walked * 2 > distances.count, "root Z travel per seed (m): \(distances)")
    }
}
