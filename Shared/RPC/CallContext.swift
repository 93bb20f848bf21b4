import Foundation

/// What a handler knows about the call it serves, besides the request.
public struct CallContext: Sendable {
    public let method: String
    public let requestID: UInt64
    public let deadline: Deadline?
    public let metadata: [String: String]

    /// Long handlers call this between steps so work past the deadline stops early.
    public func checkDeadline() throws {
        if let deadline, deadline.hasPassed {
            throw RPCError(.deadlineExceeded, "deadline passed while handling \(method)")
        }
    }
}
