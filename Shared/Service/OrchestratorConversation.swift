import Foundation
import IRGConversation
import IRGOrchestration
import IRGProto
import IRGRPC

/// MotionOrchestrator/Converse: one turn of a conversation (ConversationTurn),
/// stored in the session before the reply is sent; turns on one session are
/// serialised; an idempotency key answers a repeated request from the store.
extension OrchestratorService {
    func converse(_ request: Irg_V1_ConverseRequest, context: CallContext) async throws -> Irg_V1_ConverseResponse {
        guard !request.message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RPCError(.invalidArgument, "message is empty")
        }
        guard request.motionCodes.codes.isEmpty || !request.hasMotion else {
            throw RPCError(.invalidArgument, "send the motion as motion_codes or as motion, not both")
        }
        let settings = try LoopSettings(request.options)
        return try await runningTurns.run(request.idempotencyKey) { [self] in
            let key = request.idempotencyKey
            if !key.isEmpty, let (session, stored) = try store.turn(idempotencyKey: key) {
                guard stored.state == "done" else {
                    throw RPCError(.failedPrecondition, "the turn sent with idempotency key '\(key)' is \(stored.state): \(stored.error.message)")
                }
                return try await response(stored, session: session)
            }
            if !request.sessionID.isEmpty, try store.session(request.sessionID) == nil {
                throw RPCError(.notFound, "no session '\(request.sessionID)'")
            }
            try await checkConnected()
            return try await turn(request, settings: settings, services: downstream(context))
        }
    }

    /// Opens the turn in its session (a new session for an empty id), then runs it after the session's earlier turns.
    private func turn(_ request: Irg_V1_ConverseRequest, settings: LoopSettings, services: Downstream) async throws -> Irg_V1_ConverseResponse {
        let turn = Irg_V1_Turn.with {
            $0.userMessage = request.message
            $0.options = settings.stored(request.options)
            $0.idempotencyKey = request.idempotencyKey
            $0.state = "running"
        }
        var session = request.sessionID
        if session.isEmpty { session = try store.create(turn) }
        return try await sessionTurns.run(session) { [self, turn, session] in
            var turn = turn
            if request.sessionID.isEmpty {  // the new session's first turn, stored with it
                turn = try store.session(session)?.turns.first ?? turn
            } else {
                guard let appended = try store.append(turn, session: session) else {
                    throw RPCError(.notFound, "no session '\(session)'")
                }
                turn = appended
            }
            return try await run(turn, request: request, session: session, settings: settings, services: services)
        }
    }

    private func run(_ opened: Irg_V1_Turn, request: Irg_V1_ConverseRequest, session: String, settings: LoopSettings,
                     services: Downstream) async throws -> Irg_V1_ConverseResponse {
        var turn = opened
        let store = self.store
        do {
            let history = try store.session(session)?.turns.filter { $0.index < turn.index } ?? []
            let attached = try await attachedCodes(request, services: services)
            let runner = ConversationTurn(planner: planner, settings: settings, services: services) { progress in
                try store.update(progress, session: session)
            }
            let motion = try await runner.run(&turn, history: history, attached: attached)
            turn.state = "done"
            try store.update(turn, session: session)
            var reply = Irg_V1_ConverseResponse()
            reply.sessionID = session
            reply.turn = turn
            if let motion { reply.motion = motion }
            return reply
        } catch {
            let status = error as? RPCError ?? RPCError(.internal, "\(error)")
            turn.state = "failed"
            turn.error = .with {
                $0.code = Irg_V1_Code(rawValue: status.code.rawValue)
                $0.message = status.message
            }
            try? store.update(turn, session: session)
            throw status
        }
    }

    /// The motion a turn carries, as codes: checked by decoding them, or encoded from features or joints.
    private func attachedCodes(_ request: Irg_V1_ConverseRequest, services: Downstream) async throws -> Irg_V1_MotionCodes? {
        do {
            if !request.motionCodes.codes.isEmpty {
                _ = try await services.call(services.tokenizer, Irg_V1_MotionTokenizer.decode, .with {
                    $0.codes = [request.motionCodes]
                    $0.skipJoints = true
                })
                return request.motionCodes
            }
            guard request.hasMotion else { return nil }
            let (encoded, _) = try await services.call(services.tokenizer, Irg_V1_MotionTokenizer.encode, .with { $0.motions = [request.motion] })
            guard let codes = encoded.codes.first, !codes.codes.isEmpty else {
                throw RPCError(.invalidArgument, "the motion sent with the message is shorter than one code (4 frames)")
            }
            return codes
        } catch let error as RPCError where error.code == .invalidArgument {
            throw RPCError(.invalidArgument, "the motion sent with the message does not decode: \(error.message)")
        }
    }

    /// A stored turn's reply, its motion decoded again.
    private func response(_ turn: Irg_V1_Turn, session: String) async throws -> Irg_V1_ConverseResponse {
        var reply = Irg_V1_ConverseResponse()
        reply.sessionID = session
        reply.turn = turn
        if !turn.codes.codes.isEmpty { (reply.motion, _) = try await decoded(turn.codes, skipJoints: turn.options.skipJoints) }
        return reply
    }
}
