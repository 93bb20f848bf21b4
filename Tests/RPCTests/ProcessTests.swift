import Foundation
import IRGService
import IRGProto
@testable import IRGRPC
import Testing

enum ServiceSpecs {
    static let byExecutable = Dictionary(uniqueKeysWithValues: ServiceSpec.all.map { ($0.executable, $0.services[0]) })
}

/// The built executables as a user runs them.
@Suite(.serialized) struct ProcessTests {
    /// Products sit next to the test bundle in .build/<config>/.
    static let binDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    static func launch(_ name: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = binDir.appendingPathComponent(name)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `irg ARGS` off the cooperative pool; returns exit status and stdout.
    static func irg(_ arguments: [String]) async throws -> (Int32, String) {
        try await ComputeQueue.run { try runIrg(arguments) }
    }

    private static func runIrg(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = binDir.appendingPathComponent("irg")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(arguments: ["irg-tokenizer", "irg-generator", "irg-assessor", "irg-evaluator", "irg-orchestrator"])
    func everyServiceServesHealthAndSaysUnimplemented(executable: String) async throws {
        let url = freshAddress()
        let process = try Self.launch(executable, ["--listen", url])
        defer { process.terminate(); process.waitUntilExit() }
        let (status, out) = try await Self.irg(["health", url, "--timeout", "5000"])
        #expect(status == 0)
        #expect(out == "\(url): SERVING\n")
        let (listStatus, list) = try await Self.irg(["call", url, "irg.v1.Reflection/ListMethods"])
        #expect(listStatus == 0)
        #expect(list.contains("\"server\" : \"\(executable)\""))
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        let methods = try await client.call("irg.v1.Reflection/ListMethods", ProtoMessage(type: "irg.v1.ListMethodsRequest"))
        // Its own service's methods: each either answers UNIMPLEMENTED (its issue has not
        // landed) or is implemented, and then never says UNIMPLEMENTED.
        let service = ServiceSpecs.byExecutable[executable]!
        let own = methods.messages("methods").filter { $0.string("name").hasPrefix(service + "/") }
        #expect(!own.isEmpty)
        for method in own {
            let code = await failureCode { _ = try await client.call(method.string("name"), payload: Data()) }
            #expect((code == .unimplemented) == !method.bool("implemented"), "\(method.string("name")): \(String(describing: code))")
        }
    }

    @Test func sigtermWhileRequestsAreInFlightExitsZero() async throws {
        let url = freshAddress()
        let process = try Self.launch("irg-tokenizer", ["--listen", url])
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        #expect(await client.waitForPeers(timeoutMilliseconds: 5_000))
        let answered = Counter()
        let outcomes = try await withThrowingTaskGroup(of: StatusCode?.self) { group in
            for _ in 0..<400 {
                group.addTask {
                    let code = await failureCode {
                        _ = try await client.call("irg.v1.Admin/Echo", payload: Data(count: 4096),
                                                  options: CallOptions(timeoutMilliseconds: 5_000, maxAttempts: 1))
                    } ?? .ok
                    answered.increment()
                    return code
                }
            }
            // SIGTERM once requests are flowing, with most still in flight.
            group.addTask {
                _ = await eventually { answered.value >= 50 }
                kill(process.processIdentifier, SIGTERM)
                return nil
            }
            return try await group.reduce(into: [StatusCode: Int]()) { if let code = $1 { $0[code, default: 0] += 1 } }
        }
        _ = try await ComputeQueue.run { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
        // Every request got an answer: served, refused while draining, or no server left.
        #expect(outcomes.values.reduce(0, +) == 400)
        #expect(Set(outcomes.keys).isSubset(of: [.ok, .unavailable]))
        #expect(outcomes[.ok, default: 0] > 0)
    }

    @Test func callPrintsJSONAndExitsWithTheStatusCode() async throws {
        let url = freshAddress()
        let process = try Self.launch("irg-evaluator", ["--listen", url])
        defer { process.terminate(); process.waitUntilExit() }
        let (status, out) = try await Self.irg(["call", url, "irg.v1.Health/Check", "--json", #"{"service": "irg.v1.MotionEvaluator"}"#])
        #expect(status == 0)
        #expect(out == "{\n  \"status\" : \"SERVING\"\n}\n")
        let (invalid, _) = try await Self.irg(["call", url, "irg.v1.MotionEvaluator/Metrics", "--json", "{}"])
        #expect(invalid == 3)  // INVALID_ARGUMENT: no embeddings
        let (notFound, _) = try await Self.irg(["call", url, "irg.v1.Health/Check", "--json", #"{"service": "irg.v1.Nope"}"#])
        #expect(notFound == 5)
        let (badJSON, _) = try await Self.irg(["call", url, "irg.v1.Health/Check", "--json", #"{"servce": 1}"#])
        #expect(badJSON == 64)  // ArgumentParser's validation error: nothing was sent
    }

    @Test func upStartsAndStopsTheWholeSuite() async throws {
        let runDir = NSTemporaryDirectory() + "irg-up-test-\(getpid())"
        let (status, out) = try await Self.irg(["up", "--check", "--run-dir", runDir])
        #expect(status == 0)
        for name in ["irg-tokenizer", "irg-generator", "irg-assessor", "irg-evaluator", "irg-orchestrator"] {
            #expect(out.contains(name) && out.contains("SERVING"))
        }
        #expect(out.hasSuffix("suite healthy; stopped cleanly\n"))
    }
}
