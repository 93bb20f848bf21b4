import Foundation
import IRGRPC
import IRGService

/// The five service processes started by `irg up`.
final class Suite: @unchecked Sendable {
    private let processes: [(ServiceSpec, Process)]
    private let addresses: SuiteAddresses

    private init(processes: [(ServiceSpec, Process)], addresses: SuiteAddresses) {
        self.processes = processes
        self.addresses = addresses
    }

    /// The service executables sit next to `irg` itself.
    static func executable(named name: String) -> URL {
        let me = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                     ?? CommandLine.arguments[0])
        return me.deletingLastPathComponent().appendingPathComponent(name)
    }

    static func start(_ addresses: SuiteAddresses, logLevel: String) throws -> Suite {
        var started: [(ServiceSpec, Process)] = []
        for spec in ServiceSpec.all {
            let process = Process()
            process.executableURL = executable(named: spec.executable)
            process.arguments = ["--listen", addresses[spec], "--log-level", logLevel]
            if spec.executable == ServiceSpec.orchestrator.executable {  // wired to the other services of this suite
                process.arguments! += ["--generator", addresses[.generator], "--tokenizer", addresses[.tokenizer],
                                       "--assessor", addresses[.assessor]]
            }
            if spec.executable == ServiceSpec.assessor.executable {  // decodes the codes it is sent
                process.arguments! += ["--tokenizer", addresses[.tokenizer]]
            }
            do {
                try process.run()
            } catch {
                Suite(processes: started, addresses: addresses).stop()
                throw RPCError(.unavailable, "cannot start \(process.executableURL!.path): \(error.localizedDescription)")
            }
            started.append((spec, process))
        }
        return Suite(processes: started, addresses: addresses)
    }

    /// Polls Health/Check of each service until SERVING or the time is up.
    func waitUntilHealthy(timeoutSeconds: Double) async -> [String: String] {
        var status: [String: String] = [:]
        let limit = Date().addingTimeInterval(timeoutSeconds)
        for (spec, process) in processes {
            guard let client = try? NngClient(dialing: [addresses[spec]]) else { continue }
            defer { client.close() }
            while Date() < limit && process.isRunning {
                if let s = try? await client.healthStatus(timeoutMilliseconds: 500), s == "SERVING" {
                    status[spec.executable] = s
                    break
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            if status[spec.executable] == nil {
                status[spec.executable] = process.isRunning ? "NOT SERVING" : "EXITED"
            }
        }
        return status
    }

    /// Returns on SIGINT/SIGTERM, or when a service exits by itself.
    func waitForSignalOrExit() async -> String {
        let (reasons, continuation) = AsyncStream<String>.makeStream()
        ShutdownSignal.onFirstSignal { continuation.yield($0) }
        let monitor = Task {
            while !Task.isCancelled, self.processes.allSatisfy({ $0.1.isRunning }) {
                try? await Task.sleep(for: .milliseconds(200))
            }
            if let dead = self.processes.first(where: { !$0.1.isRunning }) {
                continuation.yield("\(dead.0.executable) exited with status \(dead.1.terminationStatus)")
            }
        }
        defer { monitor.cancel() }
        for await reason in reasons { return reason }
        return "stopped"
    }

    /// SIGTERM to each service, then waits. True when all exited with 0.
    @discardableResult
    func stop() -> Bool {
        for (_, process) in processes where process.isRunning { process.terminate() }
        var clean = true
        for (spec, process) in processes {
            process.waitUntilExit()
            if process.terminationStatus != 0 {
                print("\(spec.executable) exited with status \(process.terminationStatus)")
                clean = false
            }
        }
        return clean
    }
}
