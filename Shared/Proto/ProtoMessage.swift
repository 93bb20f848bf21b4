/// A protobuf message of any type in `Protos/`, read and built by field name.
///
/// Service code never touches protobuf-c's C structs: it builds a
/// `ProtoMessage`, and `ProtoCodec` turns it into bytes and back.
public struct ProtoMessage: Equatable, Sendable {
    public let descriptor: MessageDescriptor
    /// Set fields by name. Fields holding their default are not stored.
    public private(set) var values: [String: ProtoValue] = [:]

    public init(_ descriptor: MessageDescriptor) { self.descriptor = descriptor }

    /// A message by full type name, e.g. `ProtoMessage(type: "irg.v1.HealthCheckRequest")`.
    public init(type name: String) {
        guard let d = ProtoRegistry.message(named: name) else {
            preconditionFailure("no message type \(name) in Protos/")
        }
        self.init(d)
    }

    public var typeName: String { descriptor.name }

    /// Reading an unset field gives nil; setting a default value clears it,
    /// except in a oneof, where the member set is part of the value.
    /// Naming a field the type lacks is a programming error.
    public subscript(field: String) -> ProtoValue? {
        get { values[field] }
        set {
            guard let descriptor = descriptor.field(protoName: field) else {
                preconditionFailure("\(typeName) has no field '\(field)'")
            }
            if let v = newValue, !v.isDefault || descriptor.isOneofMember { values[field] = v } else { values[field] = nil }
        }
    }

    // Typed readers: the proto3 default when unset.

    public func string(_ field: String) -> String {
        if case .string(let v)? = values[field] { return v }
        return ""
    }

    public func bytes(_ field: String) -> [UInt8] {
        if case .bytes(let v)? = values[field] { return v }
        return []
    }

    public func int(_ field: String) -> Int64 {
        switch values[field] {
        case .int(let v)?: return v
        case .uint(let v)?: return Int64(truncatingIfNeeded: v)
        case .enumValue(let v)?: return Int64(v)
        default: return 0
        }
    }

    public func uint(_ field: String) -> UInt64 {
        switch values[field] {
        case .uint(let v)?: return v
        case .int(let v)?: return UInt64(truncatingIfNeeded: v)
        default: return 0
        }
    }

    public func double(_ field: String) -> Double {
        switch values[field] {
        case .double(let v)?: return v
        case .float(let v)?: return Double(v)
        default: return 0
        }
    }

    public func bool(_ field: String) -> Bool {
        if case .bool(let v)? = values[field] { return v }
        return false
    }

    public func enumValue(_ field: String) -> Int32 {
        if case .enumValue(let v)? = values[field] { return v }
        return 0
    }

    public func message(_ field: String) -> ProtoMessage? {
        if case .message(let v)? = values[field] { return v }
        return nil
    }

    public func list(_ field: String) -> [ProtoValue] {
        if case .list(let v)? = values[field] { return v }
        return []
    }

    public func messages(_ field: String) -> [ProtoMessage] {
        list(field).compactMap { if case .message(let m) = $0 { return m } else { return nil } }
    }

    /// A `map<string, string>` field as a dictionary.
    public func stringMap(_ field: String) -> [String: String] {
        map(field, key: { $0.string("key") }, value: { $0.string("value") })
    }

    /// A map field read with the generated code's key and value readers (on each entry message).
    public func map<Key: Hashable, Value>(_ field: String, key: (ProtoMessage) -> Key,
                                          value: (ProtoMessage) -> Value) -> [Key: Value] {
        var out: [Key: Value] = [:]
        for entry in messages(field) { out[key(entry)] = value(entry) }
        return out
    }

    /// Sets a map field, entries in key order so the bytes are deterministic.
    public mutating func setMap<Key: Comparable, Value>(_ field: String, _ map: [Key: Value],
                                                        key: (Key) -> ProtoValue, value: (Value) -> ProtoValue) {
        guard let entryType = descriptor.field(protoName: field)?.messageType else {
            preconditionFailure("\(typeName).\(field) is not a map")
        }
        self[field] = .list(map.sorted { $0.key < $1.key }.map { k, v in
            var entry = ProtoMessage(entryType)
            entry["key"] = key(k)
            entry["value"] = value(v)
            return .message(entry)
        })
    }

    /// Sets a `map<string, string>` field.
    public mutating func setStringMap(_ field: String, _ map: [String: String]) {
        setMap(field, map, key: { .string($0) }, value: { .string($0) })
    }
}
