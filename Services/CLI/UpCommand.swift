import ArgumentParser
import Foundation
import IRGRPC
import IRGService

/// `irg up`: the whole suite on one machine, stopped cleanly on Ctrl-C.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Start all five services on this machine; stop them on SIGINT/SIGTERM.")

    @Option(help: "ipc (Unix sockets in --run-dir) or tcp (each service's loopback port).")
    var transport: String = "ipc"

    @Option(help: "Folder for ipc sockets (default: $TMPDIR/irg-<uid>).")
    var runDir: String?

    @Flag(help: "Start, check that every service is SERVING, stop, and exit (0 = all healthy).")
    var check = false

    @Option(help: "Seconds to wait for every service to become healthy.")
    var startTimeout: Double = 30

    @Option(help: "Log level passed to the services.")
    var logLevel: String = "notice"

    func run() async throws {
        let addresses = try SuiteAddresses(transport: transport, runDir: runDir)
        let suite = try Suite.start(addresses, logLevel: logLevel)
        let healthy = await suite.waitUntilHealthy(timeoutSeconds: startTimeout)
        for spec in ServiceSpec.all {
            print("\(spec.executable.padding(toLength: 18, withPad: " ", startingAt: 0)) \(addresses[spec])  \(healthy[spec.executable] ?? "NOT STARTED")")
        }
        let allServing = ServiceSpec.all.allSatisfy { healthy[$0.executable] == "SERVING" }
        if check || !allServing {
            let clean = suite.stop()
            print(allServing && clean ? "suite healthy; stopped cleanly" : "suite NOT healthy")
            if !(allServing && clean) { throw ExitCode.failure }
            return
        }
        print("suite up; Ctrl-C stops it")
        fflush(nil)  // scripts wait for this line in a redirected (block-buffered) stdout
        let signal = await suite.waitForSignalOrExit()
        print("\(signal): stopping")
        if !suite.stop() { throw ExitCode.failure }
    }
}

/// Where each service listens under `irg up`.
struct SuiteAddresses {
    private var byExecutable: [String: String] = [:]

    init(transport: String, runDir: String?) throws {
        switch transport {
        case "tcp":
            for spec in ServiceSpec.all { byExecutable[spec.executable] = spec.defaultAddress }
        case "ipc":
            let dir = runDir ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("irg-\(getuid())")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for spec in ServiceSpec.all {
                byExecutable[spec.executable] = "ipc://\(dir)/\(spec.executable.dropFirst(4)).ipc"
            }
        default:
            throw ValidationError("--transport must be ipc or tcp")
        }
    }

    subscript(spec: ServiceSpec) -> String { byExecutable[spec.executable]! }
}
