import CIRGProtos

/// A message type as protoc-c describes it. Descriptors are static,
/// immutable C data, so sharing them across threads is safe.
public struct MessageDescriptor: Hashable, @unchecked Sendable {
    public let raw: UnsafePointer<ProtobufCMessageDescriptor>

    public init(_ raw: UnsafePointer<ProtobufCMessageDescriptor>) { self.raw = raw }

    /// Full name, e.g. "irg.v1.HealthCheckRequest".
    public var name: String { String(cString: raw.pointee.name) }

    public var fields: [FieldDescriptor] {
        (0..<Int(raw.pointee.n_fields)).map { FieldDescriptor(raw.pointee.fields + $0) }
    }

    /// By proto name (`request_id`) or JSON name (`requestId`).
    public func field(named name: String) -> FieldDescriptor? {
        field(protoName: name) ?? fields.first { $0.jsonName == name }
    }

    /// By proto name only: protobuf-c's binary search over its sorted names,
    /// with no array built (setting a field used to rebuild the field list).
    public func field(protoName name: String) -> FieldDescriptor? {
        name.withCString { protobuf_c_message_descriptor_get_field_by_name(raw, $0) }.map(FieldDescriptor.init)
    }

    /// proto3 maps arrive as repeated `<Name>Entry { key = 1; value = 2; }` messages.
    public var isMapEntry: Bool {
        name.hasSuffix("Entry") && fields.map(\.name) == ["key", "value"]
    }
}

public struct EnumDescriptor: @unchecked Sendable {
    public let raw: UnsafePointer<ProtobufCEnumDescriptor>

    public var name: String { String(cString: raw.pointee.name) }

    public func name(of value: Int32) -> String? {
        for i in 0..<Int(raw.pointee.n_values) where raw.pointee.values[i].value == value {
            return String(cString: raw.pointee.values[i].name)
        }
        return nil
    }

    public func value(named name: String) -> Int32? {
        for i in 0..<Int(raw.pointee.n_values) where String(cString: raw.pointee.values[i].name) == name {
            return raw.pointee.values[i].value
        }
        return nil
    }
}

public struct FieldDescriptor: @unchecked Sendable {
    public let raw: UnsafePointer<ProtobufCFieldDescriptor>

    init(_ raw: UnsafePointer<ProtobufCFieldDescriptor>) { self.raw = raw }

    public var name: String { String(cString: raw.pointee.name) }
    public var number: UInt32 { raw.pointee.id }
    public var type: ProtobufCType { raw.pointee.type }
    public var isRepeated: Bool { raw.pointee.label == PROTOBUF_C_LABEL_REPEATED }
    public var isOneofMember: Bool { raw.pointee.flags & UInt32(PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue) != 0 }
    /// proto2-style optional or proto3 `optional`: a `has_` flag marks presence of scalars.
    public var hasPresenceFlag: Bool {
        raw.pointee.label == PROTOBUF_C_LABEL_OPTIONAL && !isOneofMember
            && type != PROTOBUF_C_TYPE_STRING && type != PROTOBUF_C_TYPE_MESSAGE
    }
    public var offset: Int { Int(raw.pointee.offset) }
    public var quantifierOffset: Int { Int(raw.pointee.quantifier_offset) }

    /// proto3 JSON name: lowerCamelCase of the field name.
    public var jsonName: String {
        var out = ""
        var upperNext = false
        for ch in name {
            if ch == "_" { upperNext = true; continue }
            out.append(upperNext ? Character(ch.uppercased()) : ch)
            upperNext = false
        }
        return out
    }

    public var messageType: MessageDescriptor? {
        guard type == PROTOBUF_C_TYPE_MESSAGE, let d = raw.pointee.descriptor else { return nil }
        return MessageDescriptor(d.assumingMemoryBound(to: ProtobufCMessageDescriptor.self))
    }

    public var enumType: EnumDescriptor? {
        guard type == PROTOBUF_C_TYPE_ENUM, let d = raw.pointee.descriptor else { return nil }
        return EnumDescriptor(raw: d.assumingMemoryBound(to: ProtobufCEnumDescriptor.self))
    }

    public var isMap: Bool { isRepeated && (messageType?.isMapEntry ?? false) }
}
