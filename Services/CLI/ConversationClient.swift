import Foundation
import IRGProto
import IRGRPC
import IRGService

/// What `irg chat` and `irg converse` share: one Converse call, the turn
/// printed (plan with frame ranges, reply), its motion written to a folder.
struct ConversationClient {
    let client: NngClient
    let options: Irg_V1_LoopOptions
    let timeoutMilliseconds: Int64
    let out: URL

    /// One turn. A word of the message that names an existing .npy or .bvh file is sent as the motion.
    func send(_ message: String, session: String) async throws -> Irg_V1_ConverseResponse {
        var request = Irg_V1_ConverseRequest()
        request.sessionID = session
        request.options = options
        request.idempotencyKey = UUID().uuidString
        var words: [String] = []
        for word in message.split(separator: " ").map(String.init) {
            if ["npy", "bvh"].contains(URL(fileURLWithPath: word).pathExtension.lowercased()),
               FileManager.default.fileExists(atPath: word) {
                request.motion = try MotionFiles.read(word)
            } else {
                words.append(word)
            }
        }
        request.message = words.joined(separator: " ")
        if request.message.isEmpty, request.hasMotion { request.message = "What is the person doing?" }
        return try await client.call(Irg_V1_MotionOrchestrator.converse, request, options: CallOptions(timeoutMilliseconds: timeoutMilliseconds))
    }

    /// Prints the turn and writes its motion and turn.json to `out/turn-N`.
    func show(_ reply: Irg_V1_ConverseResponse) throws {
        let turn = reply.turn
        if !turn.caption.isEmpty { print("caption: \(turn.caption)") }
        if !turn.plan.isEmpty {
            print("plan (\(turn.planner)):")
            for (k, step) in turn.plan.enumerated() {
                let how = step.reused ? "reused" : "\(step.rounds.count) round\(step.rounds.count == 1 ? "" : "s"), \(step.stopReason)"
                print("  \(k + 1). \(step.text)  frames \(step.startFrame)-\(step.endFrame)  (\(how))")
            }
        }
        print("reply: \(turn.reply)")
        let folder = out.appendingPathComponent("turn-\(turn.index)")
        var record = reply
        record.clearMotion()
        if reply.hasMotion {
            try MotionFiles.write(reply.motion, caption: turn.userMessage, to: folder)
        } else {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try record.jsonString().write(to: folder.appendingPathComponent("turn.json"), atomically: true, encoding: .utf8)
        let files = (reply.hasMotion ? MotionFiles.names : []) + ["turn.json"]
        print("wrote \(folder.path)/{\(files.joined(separator: ","))}")
    }
}
