import CIRGProtos
import Foundation

/// Bytes <-> `ProtoMessage`, through protobuf-c's generated descriptors:
/// protobuf-c does the wire format; this file only moves values between
/// Swift and the C structs, so no C memory ever escapes it.
public enum ProtoCodec {
    public static func encode(_ message: ProtoMessage) throws -> [UInt8] {
        let arena = CArena()
        defer { arena.freeAll() }
        let c = try CMessageWriter(arena: arena).build(message)
        let size = protobuf_c_message_get_packed_size(c)
        var out = [UInt8](repeating: 0, count: size)
        _ = out.withUnsafeMutableBufferPointer { protobuf_c_message_pack(c, $0.baseAddress) }
        return out
    }

    /// The message packed into a `Data` of its exact size, with no intermediate array.
    public static func encodeData(_ message: ProtoMessage) throws -> Data {
        let arena = CArena()
        defer { arena.freeAll() }
        let c = try CMessageWriter(arena: arena).build(message)
        var out = Data(count: protobuf_c_message_get_packed_size(c))
        _ = out.withUnsafeMutableBytes { protobuf_c_message_pack(c, $0.baseAddress?.assumingMemoryBound(to: UInt8.self)) }
        return out
    }

    public static func decode(_ bytes: [UInt8], as descriptor: MessageDescriptor) throws -> ProtoMessage {
        try bytes.withUnsafeBytes { try decode($0, as: descriptor) }
    }

    /// Reads the bytes where they lie (`Array(data)` copied a payload byte by byte).
    public static func decode(_ data: Data, as descriptor: MessageDescriptor) throws -> ProtoMessage {
        try data.withUnsafeBytes { try decode($0, as: descriptor) }
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer, as descriptor: MessageDescriptor) throws -> ProtoMessage {
        let c = protobuf_c_message_unpack(descriptor.raw, nil, bytes.count, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
        guard let c else { throw ProtoError.malformed(type: descriptor.name) }
        defer { protobuf_c_message_free_unpacked(c, nil) }
        return CMessageReader.read(UnsafeRawPointer(c), descriptor)
    }
}

/// Every allocation made while building one C message, freed together.
public final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    public init() {}

    /// Zeroed memory for `count` values of `T`.
    public func array<T>(of: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        allocate(MemoryLayout<T>.stride * count).assumingMemoryBound(to: T.self)
    }

    func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let p = calloc(1, max(size, 1))!
        blocks.append(p)
        return p
    }

    func copy(_ bytes: [UInt8]) -> UnsafeMutablePointer<UInt8> {
        let p = allocate(bytes.count).assumingMemoryBound(to: UInt8.self)
        bytes.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: $0.count) }
        return p
    }

    public func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(string.utf8) + [0]
        return UnsafeMutableRawPointer(copy(utf8)).assumingMemoryBound(to: CChar.self)
    }

    public func freeAll() {
        blocks.forEach { free($0) }
        blocks.removeAll()
    }
}

/// The size of one element of a field in protobuf-c's struct layout.
func cElementSize(_ type: ProtobufCType) -> Int {
    switch type {
    case PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_SFIXED64,
         PROTOBUF_C_TYPE_UINT64, PROTOBUF_C_TYPE_FIXED64, PROTOBUF_C_TYPE_DOUBLE:
        return 8
    case PROTOBUF_C_TYPE_STRING, PROTOBUF_C_TYPE_MESSAGE:
        return MemoryLayout<UnsafeRawPointer>.size
    case PROTOBUF_C_TYPE_BYTES:
        return MemoryLayout<ProtobufCBinaryData>.size
    default:
        return 4  // 32-bit integers, float, bool (protobuf_c_boolean is int), enum
    }
}

struct CMessageWriter {
    let arena: CArena

    func build(_ message: ProtoMessage) throws -> UnsafeMutablePointer<ProtobufCMessage> {
        let d = message.descriptor.raw.pointee
        let raw = arena.allocate(Int(d.sizeof_message))
        let c = raw.assumingMemoryBound(to: ProtobufCMessage.self)
        d.message_init?(c)
        for field in message.descriptor.fields {
            guard let value = message.values[field.name] else { continue }
            try write(value, field, into: raw)
        }
        return c
    }

    private func write(_ value: ProtoValue, _ field: FieldDescriptor, into raw: UnsafeMutableRawPointer) throws {
        if field.isRepeated {
            guard case .list(let items) = value else {
                throw ProtoError.typeMismatch(field: field.name, expected: "a list")
            }
            let size = cElementSize(field.type)
            let array = arena.allocate(size * items.count)
            for (i, item) in items.enumerated() {
                try writeElement(item, field, at: array + i * size)
            }
            raw.storeBytes(of: items.count, toByteOffset: field.quantifierOffset, as: Int.self)
            raw.storeBytes(of: array, toByteOffset: field.offset, as: UnsafeMutableRawPointer.self)
            return
        }
        try writeElement(value, field, at: raw + field.offset)
        if field.isOneofMember {
            raw.storeBytes(of: field.number, toByteOffset: field.quantifierOffset, as: UInt32.self)
        } else if field.hasPresenceFlag {
            raw.storeBytes(of: Int32(1), toByteOffset: field.quantifierOffset, as: Int32.self)
        }
    }

    private func writeElement(_ value: ProtoValue, _ field: FieldDescriptor, at p: UnsafeMutableRawPointer) throws {
        func mismatch(_ expected: String) -> ProtoError {
            .typeMismatch(field: field.name, expected: expected)
        }
        switch (field.type, value) {
        case (PROTOBUF_C_TYPE_INT32, .int(let v)), (PROTOBUF_C_TYPE_SINT32, .int(let v)),
             (PROTOBUF_C_TYPE_SFIXED32, .int(let v)):
            guard let v32 = Int32(exactly: v) else { throw mismatch("a 32-bit integer") }
            p.storeBytes(of: v32, as: Int32.self)
        case (PROTOBUF_C_TYPE_UINT32, .uint(let v)), (PROTOBUF_C_TYPE_FIXED32, .uint(let v)):
            guard let v32 = UInt32(exactly: v) else { throw mismatch("an unsigned 32-bit integer") }
            p.storeBytes(of: v32, as: UInt32.self)
        case (PROTOBUF_C_TYPE_INT64, .int(let v)), (PROTOBUF_C_TYPE_SINT64, .int(let v)),
             (PROTOBUF_C_TYPE_SFIXED64, .int(let v)):
            p.storeBytes(of: v, as: Int64.self)
        case (PROTOBUF_C_TYPE_UINT64, .uint(let v)), (PROTOBUF_C_TYPE_FIXED64, .uint(let v)):
            p.storeBytes(of: v, as: UInt64.self)
        case (PROTOBUF_C_TYPE_FLOAT, .float(let v)):
            p.storeBytes(of: v, as: Float.self)
        case (PROTOBUF_C_TYPE_DOUBLE, .double(let v)):
            p.storeBytes(of: v, as: Double.self)
        case (PROTOBUF_C_TYPE_BOOL, .bool(let v)):
            p.storeBytes(of: Int32(v ? 1 : 0), as: Int32.self)
        case (PROTOBUF_C_TYPE_ENUM, .enumValue(let v)):
            p.storeBytes(of: v, as: Int32.self)
        case (PROTOBUF_C_TYPE_STRING, .string(let v)):
            p.storeBytes(of: arena.copy(v), as: UnsafeMutablePointer<CChar>.self)
        case (PROTOBUF_C_TYPE_BYTES, .bytes(let v)):
            p.storeBytes(of: ProtobufCBinaryData(len: v.count, data: arena.copy(v)), as: ProtobufCBinaryData.self)
        case (PROTOBUF_C_TYPE_MESSAGE, .message(let m)):
            guard m.descriptor == field.messageType else {
                throw mismatch(field.messageType?.name ?? "a message")
            }
            p.storeBytes(of: try build(m), as: UnsafeMutablePointer<ProtobufCMessage>.self)
        default:
            throw mismatch(String(describing: field.type))
        }
    }
}

enum CMessageReader {
    static func read(_ raw: UnsafeRawPointer, _ descriptor: MessageDescriptor) -> ProtoMessage {
        var message = ProtoMessage(descriptor)
        for field in descriptor.fields {
            if field.isRepeated {
                let count = raw.load(fromByteOffset: field.quantifierOffset, as: Int.self)
                guard count > 0,
                      let array = raw.load(fromByteOffset: field.offset, as: UnsafeRawPointer?.self)
                else { continue }
                let size = cElementSize(field.type)
                message[field.name] = .list((0..<count).map { readElement(field, at: array + $0 * size) })
                continue
            }
            if field.isOneofMember,
               raw.load(fromByteOffset: field.quantifierOffset, as: UInt32.self) != field.number {
                continue
            }
            if field.hasPresenceFlag, raw.load(fromByteOffset: field.quantifierOffset, as: Int32.self) == 0 {
                continue
            }
            if field.type == PROTOBUF_C_TYPE_MESSAGE,
               raw.load(fromByteOffset: field.offset, as: UnsafeRawPointer?.self) == nil {
                continue  // an unset submessage is absent, not empty
            }
            message[field.name] = readElement(field, at: raw + field.offset)
        }
        return message
    }

    private static func readElement(_ field: FieldDescriptor, at p: UnsafeRawPointer) -> ProtoValue {
        switch field.type {
        case PROTOBUF_C_TYPE_INT32, PROTOBUF_C_TYPE_SINT32, PROTOBUF_C_TYPE_SFIXED32:
            return .int(Int64(p.load(as: Int32.self)))
        case PROTOBUF_C_TYPE_UINT32, PROTOBUF_C_TYPE_FIXED32:
            return .uint(UInt64(p.load(as: UInt32.self)))
        case PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_SFIXED64:
            return .int(p.load(as: Int64.self))
        case PROTOBUF_C_TYPE_UINT64, PROTOBUF_C_TYPE_FIXED64:
            return .uint(p.load(as: UInt64.self))
        case PROTOBUF_C_TYPE_FLOAT:
            return .float(p.load(as: Float.self))
        case PROTOBUF_C_TYPE_DOUBLE:
            return .double(p.load(as: Double.self))
        case PROTOBUF_C_TYPE_BOOL:
            return .bool(p.load(as: Int32.self) != 0)
        case PROTOBUF_C_TYPE_ENUM:
            return .enumValue(p.load(as: Int32.self))
        case PROTOBUF_C_TYPE_STRING:
            guard let s = p.load(as: UnsafePointer<CChar>?.self) else { return .string("") }
            return .string(String(cString: s))
        case PROTOBUF_C_TYPE_BYTES:
            let b = p.load(as: ProtobufCBinaryData.self)
            guard b.len > 0, let data = b.data else { return .bytes([]) }
            return .bytes(Array(UnsafeBufferPointer(start: data, count: b.len)))
        default:  // PROTOBUF_C_TYPE_MESSAGE
            // Elements of repeated message fields are never NULL in protobuf-c's output.
            let m = p.load(as: UnsafeRawPointer.self)
            return .message(read(m, field.messageType!))
        }
    }
}
