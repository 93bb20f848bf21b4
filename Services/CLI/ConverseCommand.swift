import ArgumentParser
import Foundation
import IRGProto
import IRGRPC
import IRGService

/// Options `irg converse` and `irg chat` share.
struct ConversationOptionGroup: ParsableArguments {
    @OptionGroup var call: OrchestratorCallOptions
    @Option(help: "Folder for each turn's motion (turn-N/motion.npy, .bvh, .gif, .html) and turn.json.")
    var out = "irg-conversation"

    func connect() throws -> ConversationClient {
        ConversationClient(client: try call.client(), options: call.loopOptions, timeoutMilliseconds: call.timeout,
                           out: URL(fileURLWithPath: out))
    }
}

/// `irg converse [--session ID] TEXT`: one turn of a conversation, from a script.
struct ConverseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "converse",
        abstract: "One conversation turn through the orchestrator: plan, generate, edit, or ask about a motion.",
        discussion: "Without --session a new session starts; its id is printed first. A word that names an .npy or .bvh file sends that motion.")

    @Option(help: "The session to continue (from an earlier turn or `irg sessions list`).")
    var session = ""
    @Argument(help: "The message, e.g. \"walk forward, then wave twice\" or \"make the walk sad\".")
    var text: String
    @OptionGroup var conversation: ConversationOptionGroup

    func run() async throws {
        let chat = try conversation.connect()
        defer { chat.client.close() }
        do {
            let reply = try await chat.send(text, session: session)
            print("session \(reply.sessionID), turn \(reply.turn.index)")
            try chat.show(reply)
        } catch {
            throw reportFailure(error)
        }
    }
}

/// `irg chat [--session ID]`: an interactive conversation in the terminal.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "An interactive conversation with the orchestrator: each turn's plan, reply and motion files.",
        discussion: "Type a request, an edit (\"make the walk sad\", \"remove the bow\") or a question; a word that names an .npy or .bvh file sends that motion. 'new' starts a new session, 'exit' ends.")

    @Option(help: "The session to continue; default a new one.")
    var session = ""
    @OptionGroup var conversation: ConversationOptionGroup

    func run() async throws {
        let chat = try conversation.connect()
        defer { chat.client.close() }
        var session = self.session
        print(session.isEmpty ? "a new session starts with your first message ('exit' ends)" : "session \(session) ('exit' ends)")
        while true {
            print("you> ", terminator: "")
            fflush(nil)
            guard let line = readLine()?.trimmingCharacters(in: .whitespaces) else { break }
            if line.isEmpty { continue }
            if ["exit", "quit"].contains(line.lowercased()) { break }
            if line.lowercased() == "new" {
                session = ""
                print("a new session starts with your next message")
                continue
            }
            do {
                let reply = try await chat.send(line, session: session)
                if session.isEmpty { print("session \(reply.sessionID)") }
                session = reply.sessionID
                try chat.show(reply)
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            }
            fflush(nil)
        }
    }
}
