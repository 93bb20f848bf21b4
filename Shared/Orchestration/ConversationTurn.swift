import Foundation
import IRGConversation
import IRGProto
import IRGRPC

/// One Converse turn (docs/conversation.md), Motion-Agent's flow as remote
/// calls: the planner answers with a plan, a caption request or a reply; a
/// caption request captions the motion the turn is about (the one it carries,
/// or the session's last) with the generator and asks the planner again with
/// the caption; a plan runs each step through the loop, reusing the codes of
/// any earlier step with the same text (Motion-Agent's motion_history), then
/// the codes are concatenated and decoded once, and each step gets its frame range.
public struct ConversationTurn: Sendable {
    public let planner: any Planner
    public let settings: LoopSettings
    public let services: Downstream
    /// Called with the turn each time a step finishes or a loop round is stored.
    public let progress: @Sendable (Irg_V1_Turn) async throws -> Void

    public static let maxSteps = 16

    public init(planner: any Planner, settings: LoopSettings, services: Downstream,
                progress: @escaping @Sendable (Irg_V1_Turn) async throws -> Void) {
        (self.planner, self.settings, self.services, self.progress) = (planner, settings, services, progress)
    }

    /// Fills `turn` (plan, reply, codes, planner exchange, caption) and returns the
    /// decoded motion, or nil when the turn only answered in words.
    public func run(_ turn: inout Irg_V1_Turn, history: [Irg_V1_Turn], attached: Irg_V1_MotionCodes?) async throws -> Irg_V1_Motion? {
        let done = history.filter { $0.state == "done" }
        let aboutMotion = attached ?? done.last { !$0.codes.codes.isEmpty }?.codes
        let opening = turn.userMessage + (attached == nil ? "" : " " + PlannerPrompt.motionPlaceholder)
        var context = PlannerContext(history: done.map(Self.plannerTurn), message: turn.userMessage, exchange: [.user(opening)],
                                     motionAttached: attached != nil, motionAvailable: aboutMotion != nil)
        turn.planner = planner.name
        var answer = try await ask(&context)
        if answer == .caption { answer = try await answerAbout(aboutMotion, &turn, &context) }
        turn.plannerMessages = context.exchange.map { message in .with { $0.role = message.role; $0.content = message.content } }
        guard case .plan(let steps, let reasoning) = answer else {
            if case .reply(let text) = answer { turn.reply = text }
            return nil
        }
        guard steps.count <= Self.maxSteps else {
            throw RPCError(.invalidArgument, "the plan has \(steps.count) steps; a turn holds at most \(Self.maxSteps)")
        }
        try await generate(steps, into: &turn, reusing: done)
        let motion = try await decode(&turn)
        turn.reply = Self.reply(reasoning, turn.plan)
        return motion
    }

    /// The planner asked about a motion: its caption goes back to the planner, whose answer stands
    /// (a second caption request gets the caption itself as the reply).
    private func answerAbout(_ motion: Irg_V1_MotionCodes?, _ turn: inout Irg_V1_Turn,
                             _ context: inout PlannerContext) async throws -> PlannerAnswer {
        guard let motion else {
            return .reply("There is no motion to describe yet: ask for one first, or send one with the message.")
        }
        let caption = try await self.caption(motion)
        turn.caption = caption
        turn.askedMotion = motion
        context.caption = caption
        context.exchange.append(.user(PlannerPrompt.captionMessage(caption)))
        let answer = try await ask(&context)
        return answer == .caption ? .reply("The generator describes the motion as: \"\(caption)\"") : answer
    }

    /// One planner call, its messages added to the exchange; planner failures as status codes.
    private func ask(_ context: inout PlannerContext) async throws -> PlannerAnswer {
        if let deadline = services.deadline, deadline.remainingMilliseconds <= 0 {
            throw RPCError(.deadlineExceeded, "the request's deadline passed before the planner was asked")
        }
        do {
            let result = try await planner.answer(context)
            context.exchange += result.added
            return result.answer
        } catch let error as PlannerError {
            throw Self.status(of: error)
        }
    }

    static func status(of error: PlannerError) -> RPCError {
        switch error {
        case .unreachable: RPCError(.unavailable, error.description)
        case .timedOut: RPCError(.deadlineExceeded, error.description)
        case .refused(let status, _) where status == 429 || status >= 500: RPCError(.unavailable, error.description)
        case .refused: RPCError(.failedPrecondition, error.description)
        case .unusableAnswer: RPCError(.internal, error.description)
        }
    }

    private func caption(_ motion: Irg_V1_MotionCodes) async throws -> String {
        let (reply, _) = try await services.call(services.generator, Irg_V1_MotionGenerator.caption, .with {
            $0.motion = motion
            $0.options.sampling = settings.sampling(round: 0, candidate: 999)
        })
        return reply.captions.first?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    // MARK: generating the plan

    /// Each step through the loop, or the codes of an earlier step with the same text.
    private func generate(_ steps: [String], into turn: inout Irg_V1_Turn, reusing history: [Irg_V1_Turn]) async throws {
        var known: [String: Irg_V1_PlanStep] = [:]
        for step in history.flatMap(Self.steps(of:)) where !step.codes.codes.isEmpty { known[step.text] = step }
        turn.plan = []
        for (k, text) in steps.enumerated() {
            var step = Irg_V1_PlanStep()
            step.text = text
            if let earlier = known[text] {
                step.codes = earlier.codes
                step.reused = true
            } else {
                step = try await loop(text, step: k, turn: turn)
            }
            known[text] = step
            turn.plan.append(step)
            try await progress(turn)
        }
    }

    /// One step's loop, its rounds stored with the turn as they finish.
    private func loop(_ text: String, step k: Int, turn: Irg_V1_Turn) async throws -> Irg_V1_PlanStep {
        var stepSettings = settings
        stepSettings.seed = LoopSeeds.seed(base: settings.seed, round: 0, candidate: 1_000 + k)
        let snapshot = turn
        let loop = MotionLoop(text: text, settings: stepSettings, services: services) { [progress] rounds in
            var running = snapshot
            running.plan.append(.with { $0.text = text; $0.rounds = rounds })
            try await progress(running)
        }
        let outcome = try await loop.run()
        guard let best = outcome.best else {
            let why = outcome.rounds.last?.error ?? "no round made a motion"
            throw RPCError(.internal, "step \(k + 1) (\"\(text)\") made no motion: \(why)")
        }
        return .with {
            $0.text = text
            $0.codes = outcome.rounds[best].codes
            $0.rounds = outcome.rounds
            $0.bestRound = UInt32(best)
            $0.stopReason = outcome.stopReason
        }
    }

    /// The steps' codes concatenated and decoded once; each step's frame range from the decoder's frames per code.
    private func decode(_ turn: inout Irg_V1_Turn) async throws -> Irg_V1_Motion {
        let codes = turn.plan.flatMap(\.codes.codes)
        turn.codes = .with { $0.codes = codes }
        let (decoded, _) = try await services.call(services.tokenizer, Irg_V1_MotionTokenizer.decode, .with {
            $0.codes = [turn.codes]
            $0.skipJoints = turn.options.skipJoints
        })
        guard let motion = decoded.motions.first, let frames = motion.features.shape.first, !codes.isEmpty else {
            throw RPCError(.internal, "the tokenizer returned no motion for the plan's \(codes.count) codes")
        }
        let perCode = Int(frames) / codes.count
        var start = 0
        for i in turn.plan.indices {
            let length = turn.plan[i].codes.codes.count * perCode
            turn.plan[i].startFrame = UInt32(start)
            turn.plan[i].endFrame = UInt32(start + length)
            turn.plan[i].durationFrames = UInt32(length)
            start += length
        }
        return motion
    }

    /// The reply: the planner's reasoning, then each step with its frames.
    static func reply(_ reasoning: String, _ plan: [Irg_V1_PlanStep]) -> String {
        let steps = plan.enumerated().map { k, step in
            "\(k + 1). \(step.text) (frames \(step.startFrame)-\(step.endFrame)\(step.reused ? ", reused" : ""))"
        }
        return ([reasoning].filter { !$0.isEmpty } + steps).joined(separator: "\n")
    }

    static func plannerTurn(_ turn: Irg_V1_Turn) -> PlannerTurn {
        PlannerTurn(message: turn.userMessage, plan: steps(of: turn).map(\.text),
                    exchange: turn.plannerMessages.map { ChatMessage(role: $0.role, content: $0.content) })
    }

    /// A turn's steps; a Generate turn (a loop on its text, no plan) is a plan of one step,
    /// so a conversation can go on from a Generate session ("make it sad").
    static func steps(of turn: Irg_V1_Turn) -> [Irg_V1_PlanStep] {
        guard turn.plan.isEmpty, !turn.rounds.isEmpty, !turn.codes.codes.isEmpty else { return turn.plan }
        return [.with { $0.text = turn.userMessage; $0.codes = turn.codes }]
    }
}
