import CIRGProtos
import Foundation

/// proto3 JSON mapping for `ProtoMessage` (as grpcurl and protobuf's
/// json_format do it): lowerCamelCase names (original names accepted on
/// input), 64-bit integers as strings, bytes as base64, enums by name, maps
/// as objects. Output includes scalar fields at their defaults, so a reply
/// like `{"status": "UNKNOWN"}` is not printed as `{}`.
public enum ProtoJSON {
    public static func encode(_ message: ProtoMessage, pretty: Bool = true) -> String {
        let object = jsonObject(message)
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        let data = try! JSONSerialization.data(withJSONObject: object, options: options)
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode(_ json: String, as descriptor: MessageDescriptor) throws -> ProtoMessage {
        let text = json.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return ProtoMessage(descriptor) }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw ProtoError.invalidJSON("not JSON (\(error.localizedDescription))")
        }
        return try message(from: object, descriptor, path: descriptor.name)
    }

    // MARK: - Message to JSON

    static func jsonObject(_ message: ProtoMessage) -> [String: Any] {
        var out: [String: Any] = [:]
        for field in message.descriptor.fields {
            let value = message.values[field.name]
            if field.isMap {
                var map: [String: Any] = [:]
                for entry in message.messages(field.name) {
                    let keyField = entry.descriptor.fields[0], valueField = entry.descriptor.fields[1]
                    let key = entry.values["key"].map { jsonScalar($0, keyField) } ?? defaultJSON(keyField)
                    map["\(key)"] = entry.values["value"].map { jsonScalar($0, valueField) } ?? defaultJSON(valueField)
                }
                out[field.jsonName] = map
            } else if field.isRepeated {
                out[field.jsonName] = message.list(field.name).map { jsonScalar($0, field) }
            } else if let value {
                out[field.jsonName] = jsonScalar(value, field)
            } else if field.type != PROTOBUF_C_TYPE_MESSAGE && !field.isOneofMember {
                out[field.jsonName] = defaultJSON(field)
            }
        }
        return out
    }

    private static func defaultJSON(_ field: FieldDescriptor) -> Any {
        switch field.type {
        case PROTOBUF_C_TYPE_STRING, PROTOBUF_C_TYPE_BYTES: return ""
        case PROTOBUF_C_TYPE_BOOL: return false
        case PROTOBUF_C_TYPE_ENUM: return field.enumType?.name(of: 0) ?? 0
        case PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_SFIXED64,
             PROTOBUF_C_TYPE_UINT64, PROTOBUF_C_TYPE_FIXED64: return "0"
        case PROTOBUF_C_TYPE_MESSAGE: return [String: Any]()
        default: return 0
        }
    }

    private static func jsonScalar(_ value: ProtoValue, _ field: FieldDescriptor) -> Any {
        switch value {
        case .int(let v):
            return cElementSize(field.type) == 8 ? String(v) : Int(v)
        case .uint(let v):
            return cElementSize(field.type) == 8 ? String(v) : Int(v)
        case .float(let v): return jsonFloat(Double(v))
        case .double(let v): return jsonFloat(v)
        case .bool(let v): return v
        case .string(let v): return v
        case .bytes(let v): return Data(v).base64EncodedString()
        case .enumValue(let v): return field.enumType?.name(of: v) ?? Int(v)
        case .message(let m): return jsonObject(m)
        case .list(let items): return items.map { jsonScalar($0, field) }
        }
    }

    private static func jsonFloat(_ v: Double) -> Any {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
        return v
    }

    // MARK: - JSON to message

    static func message(from object: Any, _ descriptor: MessageDescriptor, path: String) throws -> ProtoMessage {
        guard let dict = object as? [String: Any] else {
            throw ProtoError.invalidJSON("\(path) must be a JSON object")
        }
        var message = ProtoMessage(descriptor)
        for (key, raw) in dict {
            guard let field = descriptor.field(named: key) else {
                throw ProtoError.unknownField(type: descriptor.name, field: key)
            }
            if raw is NSNull { continue }
            let fieldPath = "\(path).\(field.jsonName)"
            if field.isMap {
                guard let map = raw as? [String: Any], let entryType = field.messageType else {
                    throw ProtoError.invalidJSON("\(fieldPath) must be an object")
                }
                let keyField = entryType.fields[0], valueField = entryType.fields[1]
                message[field.name] = .list(try map.sorted { $0.key < $1.key }.map { k, v in
                    var entry = ProtoMessage(entryType)
                    entry["key"] = try value(from: k, keyField, path: fieldPath)
                    entry["value"] = try value(from: v, valueField, path: "\(fieldPath).\(k)")
                    return .message(entry)
                })
            } else if field.isRepeated {
                guard let items = raw as? [Any] else {
                    throw ProtoError.invalidJSON("\(fieldPath) must be an array")
                }
                message[field.name] = .list(try items.enumerated().map {
                    try value(from: $1, field, path: "\(fieldPath)[\($0)]")
                })
            } else {
                message[field.name] = try value(from: raw, field, path: fieldPath)
            }
        }
        return message
    }

    private static func value(from raw: Any, _ field: FieldDescriptor, path: String) throws -> ProtoValue {
        func bad(_ expected: String) -> ProtoError {
            .invalidJSON("\(path) must be \(expected)")
        }
        switch field.type {
        case PROTOBUF_C_TYPE_INT32, PROTOBUF_C_TYPE_SINT32, PROTOBUF_C_TYPE_SFIXED32,
             PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_SFIXED64:
            guard let i = (raw as? String).flatMap({ Int64($0) }) ?? integer(raw).flatMap({ Int64(exactly: $0) }) else {
                throw bad("an integer")
            }
            if cElementSize(field.type) == 4 && Int32(exactly: i) == nil { throw bad("a 32-bit integer") }
            return .int(i)
        case PROTOBUF_C_TYPE_UINT32, PROTOBUF_C_TYPE_FIXED32, PROTOBUF_C_TYPE_UINT64, PROTOBUF_C_TYPE_FIXED64:
            guard let u = (raw as? String).flatMap({ UInt64($0) }) ?? integer(raw).flatMap({ UInt64(exactly: $0) }) else {
                throw bad("a non-negative integer")
            }
            if cElementSize(field.type) == 4 && UInt32(exactly: u) == nil { throw bad("an unsigned 32-bit integer") }
            return .uint(u)
        case PROTOBUF_C_TYPE_FLOAT, PROTOBUF_C_TYPE_DOUBLE:
            guard let d = floating(raw) else { throw bad("a number") }
            return field.type == PROTOBUF_C_TYPE_FLOAT ? .float(Float(d)) : .double(d)
        case PROTOBUF_C_TYPE_BOOL:
            guard isJSONBool(raw), let b = raw as? Bool else { throw bad("true or false") }
            return .bool(b)
        case PROTOBUF_C_TYPE_STRING:
            guard let s = raw as? String else { throw bad("a string") }
            return .string(s)
        case PROTOBUF_C_TYPE_BYTES:
            guard let s = raw as? String, let data = Data(base64Encoded: s) else { throw bad("base64 text") }
            return .bytes(Array(data))
        case PROTOBUF_C_TYPE_ENUM:
            let e = field.enumType!
            if let name = raw as? String {
                guard let v = e.value(named: name) else {
                    throw ProtoError.unknownEnumValue(field: path, value: name)
                }
                return .enumValue(v)
            }
            guard let v = integer(raw), let i = Int32(exactly: v) else { throw bad("an enum name of \(e.name)") }
            return .enumValue(i)
        default:
            return .message(try message(from: raw, field.messageType!, path: path))
        }
    }

    /// JSON true/false. On Linux any NSNumber passes `is Bool`, so the
    /// dynamic type (a boolean NSNumber subclass) decides.
    private static func isJSONBool(_ raw: Any) -> Bool {
        raw is Bool && String(describing: type(of: raw)).contains("Boolean") || type(of: raw) == Bool.self
    }

    /// A JSON integer (a number with no fraction, or decimal text).
    private static func integer(_ raw: Any) -> Double? {
        if isJSONBool(raw) { return nil }
        if let s = raw as? String { return Double(s).flatMap { $0.rounded() == $0 ? $0 : nil } }
        if let n = raw as? NSNumber {
            let d = n.doubleValue
            return d.rounded() == d ? d : nil
        }
        return nil
    }

    private static func floating(_ raw: Any) -> Double? {
        if isJSONBool(raw) { return nil }
        if let s = raw as? String {
            switch s {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default: return Double(s)
            }
        }
        return (raw as? NSNumber)?.doubleValue
    }
}
