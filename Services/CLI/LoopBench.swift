import ArgumentParser
import Foundation
import IRGProto
import IRGRPC
import IRGModels
import IRGMotion
import IRGNumerics
import IRGService

/// `irg bench loop`: the loop through the real services (four processes on
/// ipc://), per phase: the time in each downstream method, the orchestrator's
/// own share (the loop's wall time less its critical path of calls: each
/// round's generation, then the longer of the model's assessment and the
/// reward, which run concurrently, then the final decode), and end to end.
struct LoopBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loop", abstract: "The generate-assess-refine loop through the real services: per-call time, the orchestrator's share, end to end.")

    @Option(help: "Generator model folder (default: the tiny Gemma2 test fixture with a 2,048-token context).")
    var model: String?
    @Flag(help: "Quantize the model to int8 first (irg llm quantize), and serve that.")
    var int8 = false
    @Option(help: "Tokenizer checkpoint (default: the 512-code VQ-VAE test fixture).")
    var tokenizerCheckpoint = "Tests/ModelTests/Fixtures/vq/codes512"
    @Option(help: "Evaluator folder for the assessor (default: the small test fixture).")
    var evaluator = "Tests/ModelTests/Fixtures/evaluator/small_f32"
    @Option(help: "Loops to run (the table gives medians).")
    var loops = 3
    @Option(help: "Loops run first and not counted: they load the models' pages and fill the generator's prefix cache and storage pool (a few loops reach its steady state).")
    var warmup = 1
    @Option(help: "Refinement rounds per loop (patience off, so each loop runs them all unless the model is satisfied).")
    var rounds: UInt32 = 3
    @Option(help: "Token limit of the generator's motion calls (Generate, Refine): about 50 motion tokens a motion.")
    var maxNewTokens: UInt32 = 50
    @Option(help: "Token limit of the model's assessments (Assess: assessment and instruction text): about 40 a real round's.")
    var assessmentTokens: UInt32 = 40
    @Flag(help: "Argmax decoding (a random model may then close its motion span at once); default: sampling with fixed seeds.")
    var greedy = false

    func validate() throws {
        guard loops >= 1, warmup >= 0 else { throw ValidationError("--loops must be at least 1 and --warmup at least 0") }
    }

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("irg-bench-loop-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let modelFolder = try prepareModel(in: folder)
        let address = { (name: String) in "ipc://\(folder.path)/\(name).ipc" }
        var processes: [Process] = []
        defer { for p in processes where p.isRunning { p.terminate(); p.waitUntilExit() } }
        func start(_ executable: String, _ arguments: [String]) throws {
            let process = Process()
            process.executableURL = Suite.executable(named: executable)
            process.arguments = arguments + ["--log-level", "warning"]
            try process.run()
            processes.append(process)
        }
        try start("irg-tokenizer", ["--listen", address("tokenizer"), "--checkpoint", tokenizerCheckpoint])
        try start("irg-generator", ["--listen", address("generator"), "--model", modelFolder])
        try start("irg-assessor", ["--listen", address("assessor"), "--evaluator", evaluator, "--tokenizer", address("tokenizer")])
        try start("irg-orchestrator", ["--listen", address("orchestrator"), "--generator", address("generator"),
                                       "--tokenizer", address("tokenizer"), "--assessor", address("assessor"),
                                       "--sessions", folder.appendingPathComponent("sessions.sqlite").path])
        // Each service listens once its model is loaded (a 2.6B one takes a while): wait for all four.
        for name in ["tokenizer", "generator", "assessor", "orchestrator"] {
            let probe = try NngClient(dialing: [address(name)])
            defer { probe.close() }
            let limit = ContinuousClock.now + .seconds(900)
            while (try? await probe.health(timeoutMilliseconds: 1_000)) != .serving {
                guard ContinuousClock.now < limit, processes.allSatisfy(\.isRunning) else {
                    throw ValidationError("irg-\(name) did not start serving")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        let client = try NngClient(dialing: [address("orchestrator")])
        defer { client.close() }
        _ = await client.waitForPeers(timeoutMilliseconds: 10_000)

        let bandwidthBefore = ReadBandwidth.ofFreshBuffer(threads: ComputeThreads.count)
        var results: [(wall: Double, reply: Irg_V1_OrchestrateResponse)] = []
        for k in 0..<(warmup + loops) {
            var request = Irg_V1_OrchestrateRequest()
            request.text = "a person walks forward and waves"
            request.options.maxRounds = rounds
            request.options.patience.rounds = 0
            request.options.sampling.greedy = greedy
            request.options.sampling.maxNewTokens = maxNewTokens
            request.options.assessmentMaxNewTokens = assessmentTokens
            request.options.sampling.seed = UInt64(k + 1)
            let start = ContinuousClock.now
            let reply = try await client.call(Irg_V1_MotionOrchestrator.generate, request, options: CallOptions(timeoutMilliseconds: 3_600_000))
            let wall = (ContinuousClock.now - start).seconds * 1000
            if k >= warmup { results.append((wall, reply)) }
        }
        let bandwidth = max(bandwidthBefore, ReadBandwidth.ofFreshBuffer(threads: ComputeThreads.count))
        report(results)
        try reportFloor(results, model: URL(fileURLWithPath: modelFolder), bandwidth: bandwidth)
    }

    /// What memory bandwidth alone allows: every generated token but a call's
    /// first (which its prompt's pass yields) is a decode step that reads the
    /// weights once, all of them for text, all but the output rows outside
    /// </Motion> and the codes inside a motion span. Counted at the calls'
    /// token limits, which a random model's calls reach; prefills are
    /// compute-bound and left out, so the floor is below what any engine on
    /// these cores could do.
    private func reportFloor(_ results: [(wall: Double, reply: Irg_V1_OrchestrateResponse)], model: URL, bandwidth: Double) throws {
        let checkpoint = try SafeTensorsCheckpoint(model)
        let textStepBytes = Double(checkpoint.tensors.values.reduce(0) { $0 + $1.data.count })
        let config = try Gemma2Config(contentsOf: model.appendingPathComponent("config.json"))
        let spanStepBytes = textStepBytes * LLMBenchCommand.motionSpanShare(config)
        let calls = results[results.count / 2].reply.trace.flatMap(\.calls).map(\.method)
        let motionCalls = calls.filter { $0.hasSuffix("MotionGenerator/Generate") || $0.hasSuffix("MotionGenerator/Refine") }.count
        let assessments = calls.filter { $0.hasSuffix("MotionGenerator/Assess") }.count
        let spanSteps = motionCalls * (Int(maxNewTokens) - 1), textSteps = assessments * (Int(assessmentTokens) - 1)
        let bytes = Double(spanSteps) * spanStepBytes + Double(textSteps) * textStepBytes
        let floor = bytes / bandwidth
        let wall = Self.median(results.map(\.wall)) / 1000
        print(String(format: "decode floor: %d motion-span steps of %.2f GB and %d text steps of %.2f GB read %.0f GB of weights;",
                     spanSteps, spanStepBytes / 1e9, textSteps, textStepBytes / 1e9, bytes / 1e9))
        print(String(format: "  at %.1f GB/s (irg_stream_read, %d threads, the better of before and after the loops) that is %.1f s; end to end is %.2fx it",
                     bandwidth / 1e9, ComputeThreads.count, floor, wall / floor))
    }

    private func prepareModel(in folder: URL) throws -> String {
        var source = model.map { URL(fileURLWithPath: $0) }
        if source == nil {  // the fixture, with room for the loop's prompts (RoPE: same weights)
            let copy = folder.appendingPathComponent("model")
            try FileManager.default.copyItem(at: URL(fileURLWithPath: "Tests/LanguageModelTests/Fixtures/gemma2/model_a"), to: copy)
            let configURL = copy.appendingPathComponent("config.json")
            var config = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as! [String: Any]
            config["max_position_embeddings"] = 2048
            try JSONSerialization.data(withJSONObject: config).write(to: configURL)
            source = copy
        }
        guard int8 else { return source!.path }
        let quantized = folder.appendingPathComponent("model-int8")
        let process = Process()
        process.executableURL = Suite.executable(named: "irg")
        process.arguments = ["llm", "quantize", "--model", source!.path, "--out", quantized.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("irg llm quantize failed") }
        return quantized.path
    }

    private func report(_ results: [(wall: Double, reply: Irg_V1_OrchestrateResponse)]) {
        var perMethod: [String: [Double]] = [:]
        var critical: [Double] = [], own: [Double] = [], roundsRun: [Double] = []
        for (wall, reply) in results {
            var totals: [String: Double] = [:]
            var path = 0.0
            for round in reply.trace {
                for call in round.calls { totals[String(call.method.split(separator: "/").last!) + " (" + Self.service(call.method) + ")", default: 0] += call.elapsedMs }
                let generation = round.calls.filter { $0.method.hasSuffix("/Generate") || $0.method.hasSuffix("/Refine") }.map(\.elapsedMs).reduce(0, +)
                let judged = round.calls.filter { $0.method.hasSuffix("/Assess") }.map(\.elapsedMs).max() ?? 0
                path += generation + judged
            }
            for call in reply.calls { totals[String(call.method.split(separator: "/").last!) + " (" + Self.service(call.method) + ")", default: 0] += call.elapsedMs }
            path += reply.calls.map(\.elapsedMs).reduce(0, +)
            for (method, ms) in totals { perMethod[method, default: []].append(ms) }
            critical.append(path)
            own.append(wall - path)
            roundsRun.append(Double(reply.trace.count))
        }
        for (_, reply) in results { for round in reply.trace where !round.error.isEmpty { print("round \(round.index): \(round.error)") } }
        let wall = Self.median(results.map(\.wall))
        print("loop: \(Int(Self.median(roundsRun))) rounds (\(rounds) refinements asked, \(greedy ? "greedy" : "sampled"), at most \(maxNewTokens) tokens a motion and \(assessmentTokens) an assessment), median of \(results.count)")
        print("method                         ms per loop")
        for (method, values) in perMethod.sorted(by: { $0.key < $1.key }) {
            print(String(format: "%@ %9.1f", method.padding(toLength: 30, withPad: " ", startingAt: 0), Self.median(values)))
        }
        print(String(format: "critical path of calls        %9.1f", Self.median(critical)))
        print(String(format: "orchestrator's own share      %9.1f ms (%.2f%% of the loop)", Self.median(own), Self.median(own) / wall * 100))
        print(String(format: "end to end                    %9.1f ms", wall))
    }

    /// The middle value (the upper one of an even count), as every figure of the table.
    static func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }

    static func service(_ method: String) -> String {
        method.contains("MotionGenerator") ? "generator" : method.contains("MotionAssessor") ? "assessor" : "tokenizer"
    }
}
