import ArgumentParser
import Foundation
import IRGProto
import IRGRPC

/// `irg health ADDRESS`: SERVING / NOT_SERVING of a process (or one of its services).
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health", abstract: "Check a service's health; exit 0 only when SERVING.")

    @Argument(help: "Service address.")
    var address: String

    @Option(help: "Service name to ask about (default: the whole process).")
    var service: String = ""

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let connection = try client.connect(address)
        defer { connection.close() }
        do {
            let status = try await connection.healthStatus(service: service, timeoutMilliseconds: client.timeout)
            print("\(address): \(status)")
            if status != "SERVING" { throw ExitCode(2) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw reportFailure(error)
        }
    }
}
