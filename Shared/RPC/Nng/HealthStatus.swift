import IRGProto

extension NngClient {
    /// The serving status name a server gives for itself or one of its
    /// services ("SERVING", "NOT_SERVING", "UNKNOWN"); one attempt.
    public func healthStatus(service: String = "", timeoutMilliseconds: Int64) async throws -> String {
        var request = ProtoMessage(type: "irg.v1.HealthCheckRequest")
        request["service"] = .string(service)
        let reply = try await call("irg.v1.Health/Check", request,
                                   options: CallOptions(timeoutMilliseconds: timeoutMilliseconds, maxAttempts: 1))
        let field = reply.descriptor.field(named: "status")!
        return field.enumType?.name(of: reply.enumValue("status")) ?? "UNKNOWN"
    }
}
