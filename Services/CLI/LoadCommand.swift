import ArgumentParser
import Foundation
import IRGProto
import IRGRPC
import IRGService

/// `irg load`: concurrent clients against a running suite for a while, mixing
/// loops, AssessBatch, Embed, Caption and Health; prints requests/s, p50/p99
/// and errors per method and every service's resident memory (Scripts/load.sh).
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load a running suite: N clients for S seconds; per-method rates, latencies, errors and each service's memory.")

    @Option(help: "Concurrent clients.")
    var clients = 20
    @Option(help: "How long to run, in seconds.")
    var seconds = 600.0
    @Option(help: "Seed of the clients' choices (methods, texts, codes, loop seeds).")
    var seed: UInt64 = 1
    @Option(help: "Write the figures as JSON here too.")
    var out: String?
    @Option(help: "irg-orchestrator address.") var orchestrator = ServiceSpec.orchestrator.defaultAddress
    @Option(help: "irg-generator address.") var generator = ServiceSpec.generator.defaultAddress
    @Option(help: "irg-tokenizer address.") var tokenizer = ServiceSpec.tokenizer.defaultAddress
    @Option(help: "irg-assessor address.") var assessor = ServiceSpec.assessor.defaultAddress
    @Option(help: "irg-evaluator address.") var evaluator = ServiceSpec.evaluator.defaultAddress

    /// Relative weights: a loop costs about ten single calls.
    static let mix: [(String, Int)] = [("loop", 1), ("assess_batch", 3), ("embed", 3), ("caption", 3), ("health", 4)]
    static let texts = ["a person walks forward", "a person waves with the right hand", "a person bows", "a person runs forward",
                        "a person kicks", "a person walks backward sadly", "a person raises both hands", "a person jumps"]

    func run() async throws {
        let addresses = ["orchestrator": orchestrator, "generator": generator, "tokenizer": tokenizer, "assessor": assessor, "evaluator": evaluator]
        let connections = try addresses.mapValues { try NngClient(dialing: [$0]) }
        defer { connections.values.forEach { $0.close() } }
        let workload = try await Workload.prepare(connections)
        var report = LoadReport(clients: clients, seconds: seconds)
        let before = await Self.memory(connections)
        let start = ContinuousClock.now
        let end = start + .milliseconds(Int64(seconds * 1000))
        // Memory sampled 20 times over the run (the last reading after the load).
        let interval = seconds / 20
        async let samples: [[String: Double]] = {
            var readings: [[String: Double]] = []
            for k in 1..<20 {
                try? await Task.sleep(until: start + .milliseconds(Int64(Double(k) * interval * 1000)))
                readings.append(await Self.memory(connections))
            }
            return readings
        }()
        // Each client keeps its own calls; they are merged at the end.
        let calls = await withTaskGroup(of: [Call].self) { group in
            for client in 0..<clients {
                group.addTask { [seed] in
                    var random = SplitMix(seed: seed &+ UInt64(client) &* 0x9E37_79B9_7F4A_7C15)
                    var mine: [Call] = []
                    while ContinuousClock.now < end {
                        let method = Self.pick(&random)
                        let began = ContinuousClock.now
                        let (name, error) = await workload.call(method, connections, &random)
                        mine.append(Call(method: name, milliseconds: (ContinuousClock.now - began).milliseconds, error: error))
                    }
                    return mine
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        for call in calls { report.record(call.method, milliseconds: call.milliseconds, error: call.error) }
        let readings = await samples + [await Self.memory(connections)]
        report.seconds = (ContinuousClock.now - start).milliseconds / 1000
        for name in addresses.keys {
            report.memory[name] = .init(before: before[name] ?? 0, samples: readings.map { $0[name] ?? 0 })
        }
        report.printTable()
        if let out {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(Summary(report: report)).write(to: URL(fileURLWithPath: out))
        }
        if report.errorCount > 0 { throw ExitCode.failure }
    }

    static func pick(_ random: inout SplitMix) -> String {
        let total = mix.reduce(0) { $0 + $1.1 }
        var r = Int(random.next() % UInt64(total))
        for (name, weight) in mix {
            if r < weight { return name }
            r -= weight
        }
        return mix[0].0
    }

    /// Each service's resident memory in MiB (Admin/Stats).
    static func memory(_ connections: [String: NngClient]) async -> [String: Double] {
        var out: [String: Double] = [:]
        for (name, client) in connections {
            if let stats = try? await client.call(Irg_V1_Admin.stats, .init(), options: CallOptions(timeoutMilliseconds: 10_000)) {
                out[name] = Double(stats.rssBytes) / 1_048_576
            }
        }
        return out
    }
}

/// One call a load client made.
struct Call: Sendable {
    let method: String
    let milliseconds: Double
    let error: String?
}

/// The report's figures per method, for `--out`.
struct Summary: Encodable {
    struct Method: Encodable { let calls: Int; let requestsPerSecond: Double; let p50Ms: Double; let p99Ms: Double; let errors: [String: Int] }
    let clients: Int
    let seconds: Double
    let methods: [String: Method]
    let memoryMiB: [String: LoadReport.Memory]
    let errors: Int

    init(report: LoadReport) {
        clients = report.clients
        seconds = report.seconds
        methods = report.methods.mapValues {
            Method(calls: $0.calls, requestsPerSecond: Double($0.calls) / report.seconds, p50Ms: $0.percentile(0.5),
                   p99Ms: $0.percentile(0.99), errors: $0.errors)
        }
        memoryMiB = report.memory
        errors = report.errorCount
    }
}

/// The requests a load client sends, made once from the running suite: random
/// codes within its codebook, and motions decoded from them for Embed.
struct Workload: Sendable {
    let codebook: Int
    let motions: [Irg_V1_Motion]

    static func prepare(_ connections: [String: NngClient]) async throws -> Workload {
        let info = try await connections["tokenizer"]!.call(Irg_V1_MotionTokenizer.info, .init())
        var random = SplitMix(seed: 7)
        let codebook = Int(info.codebookSize)
        let codes = (0..<4).map { _ in randomCodes(&random, codebook: codebook) }
        let decoded = try await connections["tokenizer"]!.call(Irg_V1_MotionTokenizer.decode, .with {
            $0.codes = codes
            $0.skipJoints = true
        })
        return Workload(codebook: codebook, motions: decoded.motions)
    }

    static func randomCodes(_ random: inout SplitMix, codebook: Int) -> Irg_V1_MotionCodes {
        .with { $0.codes = (0..<(12 + Int(random.next() % 28))).map { _ in Int32(random.next() % UInt64(codebook)) } }
    }

    /// One call of `method`; its name as the report lists it and the error, if any.
    func call(_ method: String, _ c: [String: NngClient], _ random: inout SplitMix) async -> (String, String?) {
        let text = LoadCommand.texts[Int(random.next() % UInt64(LoadCommand.texts.count))]
        let codes = Self.randomCodes(&random, codebook: codebook)
        let seed = random.next() | 1
        do {
            switch method {
            case "loop":
                _ = try await c["orchestrator"]!.call(Irg_V1_MotionOrchestrator.generate, .with {
                    $0.text = text
                    $0.options.maxRounds = 1
                    $0.options.sampling.seed = seed
                    $0.options.skipJoints = true
                }, options: CallOptions(timeoutMilliseconds: 120_000))
                return (Self.names["loop"]!, nil)
            case "assess_batch":
                _ = try await c["assessor"]!.call(Irg_V1_MotionAssessor.assessBatch, .with { request in
                    request.items = (0..<8).map { _ in .with { $0.text = text; $0.codes = codes } }
                }, options: CallOptions(timeoutMilliseconds: 30_000))
                return (Self.names["assess_batch"]!, nil)
            case "embed":
                _ = try await c["evaluator"]!.call(Irg_V1_MotionEvaluator.embed, .with {
                    $0.texts = Array(LoadCommand.texts.prefix(4))
                    $0.motions = Array(motions.prefix(2))
                }, options: CallOptions(timeoutMilliseconds: 30_000))
                return (Self.names["embed"]!, nil)
            case "caption":
                _ = try await c["generator"]!.call(Irg_V1_MotionGenerator.caption, .with {
                    $0.motion = codes
                    $0.options.sampling.seed = seed
                }, options: CallOptions(timeoutMilliseconds: 30_000))
                return (Self.names["caption"]!, nil)
            default:
                let name = ["orchestrator", "generator", "tokenizer", "assessor", "evaluator"][Int(seed % 5)]
                let status = try await c[name]!.healthStatus(service: "", timeoutMilliseconds: 10_000)
                return (Self.names["health"]!, status == "SERVING" ? nil : status)
            }
        } catch let error as RPCError {
            return (Self.names[method] ?? method, error.code.description)
        } catch {
            return (Self.names[method] ?? method, "\(error)")
        }
    }

    static let names = ["loop": "MotionOrchestrator/Generate", "assess_batch": "MotionAssessor/AssessBatch",
                        "embed": "MotionEvaluator/Embed", "caption": "MotionGenerator/Caption", "health": "Health/Check"]
}

/// SplitMix64: each client's own reproducible choices.
struct SplitMix: RandomNumberGenerator, Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
