/// One field's value in a `ProtoMessage`. Integer kinds are widened to 64
/// bits; the field's descriptor says how they go on the wire.
public enum ProtoValue: Equatable, Sendable {
    case int(Int64)       // int32, sint32, sfixed32, int64, sint64, sfixed64
    case uint(UInt64)     // uint32, fixed32, uint64, fixed64
    case float(Float)
    case double(Double)
    case bool(Bool)
    case string(String)
    case bytes([UInt8])
    case enumValue(Int32)
    case message(ProtoMessage)
    case list([ProtoValue])  // repeated fields; maps are lists of entry messages

    /// proto3 omits fields that hold their type's default.
    var isDefault: Bool {
        switch self {
        case .int(let v): return v == 0
        case .uint(let v): return v == 0
        case .float(let v): return v == 0
        case .double(let v): return v == 0
        case .bool(let v): return !v
        case .string(let v): return v.isEmpty
        case .bytes(let v): return v.isEmpty
        case .enumValue(let v): return v == 0
        case .message: return false
        case .list(let v): return v.isEmpty
        }
    }
}
