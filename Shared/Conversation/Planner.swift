import Foundation

/// One message of the conversation with a planner, in OpenAI chat roles
/// ("user", "assistant"; the system prompt is the planner's own).
public struct ChatMessage: Equatable, Sendable, Codable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        (self.role, self.content) = (role, content)
    }

    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: "user", content: content) }
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: "assistant", content: content) }
}

/// What a planner decides for a turn.
public enum PlannerAnswer: Equatable, Sendable {
    /// Generate these sub-motions in order, then concatenate them; `reasoning` may be empty.
    case plan([String], reasoning: String)
    /// Caption the motion the turn is about, then ask the planner again with the caption.
    case caption
    /// An answer in words: about a motion, or what the planner did not understand. Nothing is generated.
    case reply(String)
}

/// An earlier turn as the planner sees it.
public struct PlannerTurn: Equatable, Sendable {
    public var message: String
    /// The sub-motions that turn generated (empty when it only answered).
    public var plan: [String]
    /// That turn's exchange with the planner, so a chat model sees the whole conversation.
    public var exchange: [ChatMessage]

    public init(message: String, plan: [String], exchange: [ChatMessage]) {
        (self.message, self.plan, self.exchange) = (message, plan, exchange)
    }
}

/// Everything a planner is given for one call.
public struct PlannerContext: Sendable {
    public var history: [PlannerTurn]
    /// The user's message of this turn.
    public var message: String
    /// This turn's exchange so far, ending with a user message (the message, or the caption).
    public var exchange: [ChatMessage]
    /// Whether the turn carries a motion (Motion-Agent's <motion_file>).
    public var motionAttached: Bool
    /// Whether there is a motion to talk about (attached to the turn, or an earlier turn's).
    public var motionAvailable: Bool
    /// The caption of that motion, once the planner asked for it.
    public var caption: String?

    public init(history: [PlannerTurn], message: String, exchange: [ChatMessage], motionAttached: Bool = false,
                motionAvailable: Bool, caption: String? = nil) {
        (self.history, self.message, self.exchange) = (history, message, exchange)
        (self.motionAttached, self.motionAvailable, self.caption) = (motionAttached, motionAvailable, caption)
    }

    /// The plan of the latest turn that made a motion: what edits apply to.
    public var previousPlan: [String] { history.last { !$0.plan.isEmpty }?.plan ?? [] }
}

/// A planner's answer and the messages it added to the exchange (its raw
/// answers, and a retry prompt when it had to ask again).
public struct PlannerResult: Sendable {
    public var answer: PlannerAnswer
    public var added: [ChatMessage]

    public init(answer: PlannerAnswer, added: [ChatMessage]) {
        (self.answer, self.added) = (answer, added)
    }
}

/// Splits a request into sub-motions, edits the previous plan, or asks for a
/// caption (Motion-Agent's planner role). Two kinds: `BuiltinPlanner`
/// (offline, a written-down grammar) and `ChatCompletionsPlanner` (any
/// OpenAI-compatible endpoint).
public protocol Planner: Sendable {
    /// "builtin", or the endpoint's model name: stored with each turn.
    var name: String { get }
    func answer(_ context: PlannerContext) async throws -> PlannerResult
}

/// Why a planner gave no answer; the orchestrator maps each to a status code.
public enum PlannerError: Error, Equatable, CustomStringConvertible {
    case unreachable(String)
    case timedOut(String)
    /// The endpoint answered with an HTTP error status.
    case refused(status: Int, String)
    /// Two answers in a row could not be read as a plan or a reply.
    case unusableAnswer(String)

    public var description: String {
        switch self {
        case .unreachable(let why): "the planner endpoint cannot be reached: \(why)"
        case .timedOut(let why): "the planner endpoint did not answer in time: \(why)"
        case .refused(let status, let body): "the planner endpoint answered HTTP \(status): \(body)"
        case .unusableAnswer(let why): "the planner's answer could not be used, twice: \(why)"
        }
    }
}
