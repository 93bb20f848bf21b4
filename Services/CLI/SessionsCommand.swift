import ArgumentParser
import Foundation
import IRGProto
import IRGRPC
import IRGService

/// `irg sessions list` and `irg sessions show ID`: the orchestrator's saved sessions.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions", abstract: "The orchestrator's sessions.", subcommands: [List.self, Show.self])

    struct Target: ParsableArguments {
        @Option(help: "The orchestrator's address.")
        var orchestrator = ServiceSpec.orchestrator.defaultAddress
        @OptionGroup var client: ClientOptions

        func connect() throws -> NngClient { try client.connect(orchestrator) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sessions, newest first: id, time, turns, first message.")
        @OptionGroup var target: Target
        @Option(help: "Sessions per page.")
        var pageSize: UInt32 = 50
        @Option(help: "The page after this token (printed at the end of a full page).")
        var pageToken = ""

        func run() async throws {
            let client = try target.connect()
            defer { client.close() }
            do {
                let page = try await client.call(Irg_V1_MotionOrchestrator.listSessions, .with {
                    $0.pageSize = pageSize
                    $0.pageToken = pageToken
                }, options: target.client.callOptions())
                let format = ISO8601DateFormatter()
                for s in page.sessions {
                    let time = format.string(from: Date(timeIntervalSince1970: Double(s.createdUnixMs) / 1000))
                    print("\(s.sessionID)  \(time)  \(s.turns) turn\(s.turns == 1 ? "" : "s")  \(s.firstMessage)")
                }
                if !page.nextPageToken.isEmpty { print("next page: --page-token \(page.nextPageToken)") }
            } catch {
                throw reportFailure(error)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One session as proto3 JSON: every turn, round and call.")
        @OptionGroup var target: Target
        @Argument(help: "The session's id.")
        var id: String

        func run() async throws {
            let client = try target.connect()
            defer { client.close() }
            do {
                print(try await client.call(Irg_V1_MotionOrchestrator.getSession, .with { $0.sessionID = id },
                                            options: target.client.callOptions()).jsonString())
            } catch {
                throw reportFailure(error)
            }
        }
    }
}
