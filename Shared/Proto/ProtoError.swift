/// What can go wrong turning bytes or JSON into messages and back.
public enum ProtoError: Error, Equatable, CustomStringConvertible {
    case malformed(type: String)
    case unknownField(type: String, field: String)
    case typeMismatch(field: String, expected: String)
    case invalidJSON(String)
    case unknownEnumValue(field: String, value: String)

    public var description: String {
        switch self {
        case .malformed(let type): return "bytes do not parse as \(type)"
        case .unknownField(let type, let field): return "\(type) has no field '\(field)'"
        case .typeMismatch(let field, let expected): return "field '\(field)' needs \(expected)"
        case .invalidJSON(let why): return "invalid JSON: \(why)"
        case .unknownEnumValue(let field, let value): return "field '\(field)' has no enum value '\(value)'"
        }
    }
}
