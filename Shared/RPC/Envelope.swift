import CIRGProtos
import Foundation
import IRGProto

/// The one message every request and reply travels in (`irg.v1.Envelope`).
public struct Envelope: Sendable {
    public var method: String
    public var requestID: UInt64
    /// nil = no deadline (0 on the wire).
    public var deadline: Deadline?
    public var metadata: [String: String]
    public var payload: Data
    /// Set in replies only.
    public var status: RPCError?

    public init(method: String, requestID: UInt64, deadline: Deadline? = nil,
                metadata: [String: String] = [:], payload: Data = Data(), status: RPCError? = nil) {
        self.method = method
        self.requestID = requestID
        self.deadline = deadline
        self.metadata = metadata
        self.payload = payload
        self.status = status
    }

    /// The reply to this request: OK with a payload, or an error status.
    public func reply(_ result: Result<Data, RPCError>) -> Envelope {
        switch result {
        case .success(let payload):
            return Envelope(method: method, requestID: requestID, payload: payload,
                            status: RPCError(.ok, ""))
        case .failure(let error):
            return Envelope(method: method, requestID: requestID, status: error)
        }
    }
}
