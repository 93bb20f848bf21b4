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

/// Element readers for the generated code: a repeated field's items as
/// Swift values, the proto3 default where the kind does not match.
extension ProtoValue {
    public var int64Value: Int64 {
        switch self {
        case .int(let v): return v
        case .uint(let v): return Int64(truncatingIfNeeded: v)
        case .enumValue(let v): return Int64(v)
        default: return 0
        }
    }

    public var uint64Value: UInt64 {
        switch self {
        case .uint(let v): return v
        case .int(let v): return UInt64(truncatingIfNeeded: v)
        default: return 0
        }
    }

    public var doubleValue: Double {
        switch self {
        case .double(let v): return v
        case .float(let v): return Double(v)
        default: return 0
        }
    }

    public var floatValue: Float {
        switch self {
        case .float(let v): return v
        case .double(let v): return Float(v)
        default: return 0
        }
    }

    public var boolValue: Bool { if case .bool(let v) = self { return v } else { return false } }
    public var stringValue: String { if case .string(let v) = self { return v } else { return "" } }
    public var bytesValue: [UInt8] { if case .bytes(let v) = self { return v } else { return [] } }
    public var enumRawValue: Int32 { if case .enumValue(let v) = self { return v } else { return 0 } }

    /// Only for values of message fields (the codec never gives another kind there).
    public var messageValue: ProtoMessage {
        guard case .message(let m) = self else { preconditionFailure("\(self) is not a message") }
        return m
    }
}
