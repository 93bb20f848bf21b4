import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A planner behind any OpenAI-compatible endpoint: `POST {url}/chat/completions`
/// with the system prompt, the whole conversation's exchanges and this turn's,
/// and the answer read by `PlannerReplyParser`. An answer that cannot be read
/// is shown back to the model once with the parse error; a second one is
/// `PlannerError.unusableAnswer`.
public struct ChatCompletionsPlanner: Planner {
    public let url: URL
    public let model: String
    public let apiKey: String?
    /// Per HTTP request.
    public let timeoutSeconds: Double

    public var name: String { model }

    public init(url: URL, model: String, apiKey: String?, timeoutSeconds: Double = 60) {
        (self.url, self.model, self.apiKey, self.timeoutSeconds) = (url, model, apiKey, timeoutSeconds)
    }

    public func answer(_ context: PlannerContext) async throws -> PlannerResult {
        let conversation = [ChatMessage(role: "system", content: PlannerPrompt.system)]
            + context.history.flatMap(\.exchange) + context.exchange
        var added: [ChatMessage] = []
        var lastError = ""
        for _ in 0..<2 {
            let content = try await complete(conversation + added)
            added.append(.assistant(content))
            do {
                return PlannerResult(answer: try PlannerReplyParser.parse(content), added: added)
            } catch let error as PlannerReplyParser.ParseError {
                lastError = error.message
                added.append(.user(PlannerPrompt.retry(after: error.message)))
            }
        }
        throw PlannerError.unusableAnswer(lastError)
    }

    /// The first choice's message content.
    func complete(_ messages: [ChatMessage]) async throws -> String {
        var request = URLRequest(url: url.appendingPathComponent("chat/completions"))
        request.httpMethod = "POST"
        request.timeoutInterval = timeoutSeconds
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let apiKey, !apiKey.isEmpty { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        request.httpBody = try JSONEncoder().encode(CompletionRequest(model: model, messages: messages))
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch let error as URLError where error.code == .timedOut {
            throw PlannerError.timedOut("no answer from \(request.url!) within \(timeoutSeconds) s")
        } catch {
            throw PlannerError.unreachable("\(request.url!): \(error.localizedDescription)")
        }
        let body = String(decoding: data.prefix(500), as: UTF8.self)
        guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
            throw PlannerError.refused(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body)
        }
        guard let reply = try? JSONDecoder().decode(CompletionResponse.self, from: data), let first = reply.choices.first else {
            throw PlannerError.unusableAnswer("the endpoint's reply is not a chat completion: \(body)")
        }
        return first.message.content ?? ""
    }

    struct CompletionRequest: Encodable {
        let model: String
        let messages: [ChatMessage]
    }

    struct CompletionResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { let content: String? }
            let message: Message
        }
        let choices: [Choice]
    }
}
