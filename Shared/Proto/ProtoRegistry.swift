import CIRGProtos

/// A method of a service in `Protos/`.
public struct MethodDescriptor: Sendable {
    /// "irg.v1.MotionTokenizer/Encode"
    public let fullName: String
    /// "irg.v1.MotionTokenizer"
    public let service: String
    public let input: MessageDescriptor
    public let output: MessageDescriptor
    /// From the method's `idempotency_level` option: safe to retry.
    public let idempotent: Bool
}

/// Every service, method and message type the protos define, found by name
/// through the tables `Scripts/gen_registry.py` generates.
public enum ProtoRegistry {
    public static let methods: [String: MethodDescriptor] = {
        var idempotent = Set<String>()
        for i in 0..<irg_n_method_options {
            let option = irg_method_options_at(i)
            if option.idempotent != 0 { idempotent.insert(String(cString: option.method)) }
        }
        var out: [String: MethodDescriptor] = [:]
        for s in 0..<irg_n_services {
            let service = irg_services_at(s).pointee
            let serviceName = String(cString: service.name)
            for m in 0..<Int(service.n_methods) {
                let method = service.methods[m]
                let full = "\(serviceName)/\(String(cString: method.name))"
                out[full] = MethodDescriptor(
                    fullName: full, service: serviceName,
                    input: MessageDescriptor(method.input), output: MessageDescriptor(method.output),
                    idempotent: idempotent.contains(full))
            }
        }
        return out
    }()

    public static let messages: [String: MessageDescriptor] = {
        var out: [String: MessageDescriptor] = [:]
        for i in 0..<irg_n_messages {
            let d = MessageDescriptor(irg_messages_at(i))
            out[d.name] = d
        }
        return out
    }()

    public static func method(named name: String) -> MethodDescriptor? { methods[name] }

    /// The descriptor of a message type the protos define; any other name is a programming error.
    public static func descriptor(of typeName: String) -> MessageDescriptor {
        guard let descriptor = messages[typeName] else { preconditionFailure("no message type \(typeName) in Protos/") }
        return descriptor
    }
    public static func message(named name: String) -> MessageDescriptor? { messages[name] }

    /// The methods of one service, sorted by name.
    public static func methods(ofService service: String) -> [MethodDescriptor] {
        methods.values.filter { $0.service == service }.sorted { $0.fullName < $1.fullName }
    }
}
