import IRGProto

extension NngClient {
    /// The serving status a server gives for itself or one of its services; one attempt.
    public func health(service: String = "", timeoutMilliseconds: Int64) async throws -> Irg_V1_HealthCheckResponse.ServingStatus {
        let reply = try await call(Irg_V1_Health.check, .with { $0.service = service },
                                   options: CallOptions(timeoutMilliseconds: timeoutMilliseconds, maxAttempts: 1))
        return reply.status
    }

    /// The status's proto name ("SERVING", "NOT_SERVING", "UNKNOWN"), as `irg health` prints it.
    public func healthStatus(service: String = "", timeoutMilliseconds: Int64) async throws -> String {
        let status = try await health(service: service, timeoutMilliseconds: timeoutMilliseconds)
        if case .UNRECOGNIZED = status { return "UNKNOWN" }
        return status.protoName
    }
}
