import Foundation
import IRGProto

/// A handler on raw payload bytes.
public typealias RawHandler = @Sendable (Data, CallContext) async throws -> Data

/// The methods one process serves, by full name.
///
/// Registering a service adds all of its methods (from `Protos/`) answering
/// UNIMPLEMENTED; a service then implements them one by one, so a method is
/// never silently missing and never faked.
/// Configure it fully before the server starts: routes are read, never
/// changed, while requests are served.
public final class Router: @unchecked Sendable {
    public struct Route: Sendable {
        public let method: MethodDescriptor
        public let handler: RawHandler
        public let implemented: Bool
        /// Runs on the transport's thread (nng's callback thread) without a
        /// hop. Only for handlers that finish in microseconds and never
        /// block: health, reflection, stats, echo. Everything else runs on
        /// Swift's global executor.
        public let inline: Bool
    }

    private var routes: [String: Route] = [:]
    public private(set) var services: [String] = []

    public init() {}

    /// Adds every method of `service` (`Irg_V1_MotionTokenizer.serviceName`) as UNIMPLEMENTED.
    public func register(service: String) {
        let methods = ProtoRegistry.methods(ofService: service)
        precondition(!methods.isEmpty, "no service \(service) in Protos/")
        services.append(service)
        for method in methods where routes[method.fullName] == nil {
            let name = method.fullName
            routes[name] = Route(method: method, handler: { _, _ in
                throw RPCError(.unimplemented, "\(name) is not implemented in this build yet")
            }, implemented: false, inline: true)
        }
    }

    /// Serves `method` with a handler on raw bytes.
    public func implement(_ method: String, inline: Bool = false, raw handler: @escaping RawHandler) {
        guard let descriptor = ProtoRegistry.method(named: method) else {
            preconditionFailure("no method \(method) in Protos/")
        }
        if !services.contains(descriptor.service) { register(service: descriptor.service) }
        routes[method] = Route(method: descriptor, handler: handler, implemented: true, inline: inline)
    }

    /// Serves a generated method with a handler on raw payload bytes.
    public func implement<Request, Response>(_ method: ProtoMethod<Request, Response>, inline: Bool = false,
                                             raw handler: @escaping RawHandler) {
        implement(method.name, inline: inline, raw: handler)
    }

    /// Serves a generated method with a handler on its typed messages: a
    /// payload that does not parse as the request type is INVALID_ARGUMENT.
    public func implement<Request, Response>(_ method: ProtoMethod<Request, Response>, inline: Bool = false,
                                             _ handler: @escaping @Sendable (Request, CallContext) async throws -> Response) {
        implement(method.name, inline: inline, raw: { payload, context in
            let request: Request
            do {
                request = try Request(serializedData: payload)
            } catch {
                throw RPCError(.invalidArgument, "payload is not a valid \(Request.protoTypeName)")
            }
            return try await handler(request, context).serializedData()
        })
    }

    public func route(_ method: String) -> Route? { routes[method] }

    public var allRoutes: [Route] { routes.values.sorted { $0.method.fullName < $1.method.fullName } }
}
