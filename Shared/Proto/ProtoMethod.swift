/// A method of a service in `Protos/` with its request and response types,
/// generated per service (`Irg_V1_MotionGenerator.generate`), so a handler's
/// or a call's types come from one descriptor, never from a string typed by hand.
public struct ProtoMethod<Request: ProtoMessageType, Response: ProtoMessageType>: Sendable {
    /// "irg.v1.MotionGenerator/Generate"
    public let name: String

    public init(_ name: String) { self.name = name }

    /// The registry's descriptor (idempotency, service name); the generated
    /// types match its input and output (ProtoRegistryTests checks every method).
    public var descriptor: MethodDescriptor {
        guard let method = ProtoRegistry.method(named: name) else {
            preconditionFailure("no method \(name) in Protos/")
        }
        return method
    }
}
