import ArgumentParser
import Foundation
import IRGProto
import IRGRPC

/// `irg call ADDRESS irg.v1.Service/Method --json '{...}'`: any method,
/// JSON in and out (proto3 JSON mapping), like grpcurl.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Call any method with a JSON request; print the JSON reply.")

    @Argument(help: "Service address, e.g. tcp://127.0.0.1:7101 or ipc:///tmp/irg/tokenizer.ipc.")
    var address: String

    @Argument(help: "Full method name, e.g. irg.v1.Health/Check.")
    var method: String

    @Option(help: "The request as proto3 JSON ('-' reads stdin). Default: an empty request.")
    var json: String = "{}"

    @OptionGroup var client: ClientOptions

    func run() async throws {
        guard let descriptor = ProtoRegistry.method(named: method) else {
            let known = ProtoRegistry.methods.keys.sorted().joined(separator: "\n  ")
            throw ValidationError("unknown method '\(method)'; known methods:\n  \(known)")
        }
        let text = json == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : json
        let request: ProtoMessage
        do {
            request = try ProtoJSON.decode(text, as: descriptor.input)
        } catch {
            throw ValidationError("--json is not a valid \(descriptor.input.name): \(error)")
        }
        let connection = try client.connect(address)
        defer { connection.close() }
        do {
            let reply = try await connection.call(method, request, options: client.callOptions())
            print(ProtoJSON.encode(reply))
        } catch {
            throw reportFailure(error)
        }
    }
}
