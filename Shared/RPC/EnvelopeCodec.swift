import CIRGProtos
import Foundation
import IRGProto

/// Envelope <-> bytes straight through the generated `Irg__V1__Envelope`
/// struct: every call goes through here, so the payload is packed from and
/// unpacked into its own buffer with no copy beyond protobuf-c's own.
public enum EnvelopeCodec {
    static let descriptor = Irg_V1_Envelope.protoDescriptor

    /// Packs `envelope` into the buffer that `allocate(size)` returns (an nng
    /// message body, say), so the bytes are written once, where they go.
    public static func encode<Buffer>(_ envelope: Envelope,
                                      into allocate: (Int) throws -> (Buffer, UnsafeMutableRawPointer)) rethrows -> Buffer {
        let arena = CArena()
        defer { arena.freeAll() }
        var env = Irg__V1__Envelope()
        irg__v1__envelope__init(&env)
        env.method = arena.copy(envelope.method)
        env.request_id = envelope.requestID
        env.deadline_unix_ms = envelope.deadline?.unixMilliseconds ?? 0
        (env.n_metadata, env.metadata) = packMap(envelope.metadata, arena) {
            irg__v1__envelope__metadata_entry__init($0)
            ($0.pointee.key, $0.pointee.value) = ($1, $2)
        }
        var status = Irg__V1__Status()
        if let s = envelope.status {
            irg__v1__status__init(&status)
            status.code = Irg__V1__Code(rawValue: UInt32(s.code.rawValue))
            status.message = arena.copy(s.message)
            (status.n_details, status.details) = packMap(s.details, arena) {
                irg__v1__status__details_entry__init($0)
                ($0.pointee.key, $0.pointee.value) = ($1, $2)
            }
        }
        return try envelope.payload.withUnsafeBytes { payload in
            env.payload = ProtobufCBinaryData(
                len: payload.count,
                data: UnsafeMutablePointer(mutating: payload.bindMemory(to: UInt8.self).baseAddress))
            return try withUnsafeMutablePointer(to: &status) { statusPointer in
                if envelope.status != nil { env.status = statusPointer }
                return try withUnsafeMutablePointer(to: &env) { e in
                    try e.withMemoryRebound(to: ProtobufCMessage.self, capacity: 1) { message in
                        let size = protobuf_c_message_get_packed_size(message)
                        let (buffer, bytes) = try allocate(size)
                        _ = protobuf_c_message_pack(message, bytes.assumingMemoryBound(to: UInt8.self))
                        return buffer
                    }
                }
            }
        }
    }

    /// A `map<string, string>` as protobuf-c's array of entry pointers.
    private static func packMap<Entry>(
        _ map: [String: String], _ arena: CArena,
        _ fill: (UnsafeMutablePointer<Entry>, UnsafeMutablePointer<CChar>, UnsafeMutablePointer<CChar>) -> Void
    ) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>) {
        let entries = map.sorted { $0.key < $1.key }
        let array = arena.array(of: UnsafeMutablePointer<Entry>?.self, count: entries.count)
        for (i, (key, value)) in entries.enumerated() {
            let entry = arena.array(of: Entry.self, count: 1)
            fill(entry, arena.copy(key), arena.copy(value))
            array[i] = entry
        }
        return (entries.count, array)
    }

    public static func encode(_ envelope: Envelope) -> Data {
        // The Data is made after packing: Data(bytesNoCopy:) of a few bytes copies them into
        // its inline storage and frees the buffer at once, so packing into it afterwards
        // wrote freed memory (found by Scripts/fuzz.sh, target envelope).
        let (buffer, size) = encode(envelope) { size -> ((UnsafeMutableRawPointer, Int), UnsafeMutableRawPointer) in
            let p = malloc(max(size, 1))!
            return ((p, size), p)
        }
        return Data(bytesNoCopy: buffer, count: size, deallocator: .free)
    }

    /// Unpacks an envelope; nil when the bytes are not one.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> Envelope? {
        guard let raw = protobuf_c_message_unpack(
            descriptor.raw, nil, bytes.count, bytes.bindMemory(to: UInt8.self).baseAddress)
        else { return nil }
        defer { protobuf_c_message_free_unpacked(raw, nil) }
        let env = UnsafeMutableRawPointer(raw).assumingMemoryBound(to: Irg__V1__Envelope.self)
        var out = Envelope(
            method: env.pointee.method.map { String(cString: $0) } ?? "",
            requestID: env.pointee.request_id,
            deadline: env.pointee.deadline_unix_ms == 0 ? nil : Deadline(unixMilliseconds: env.pointee.deadline_unix_ms),
            metadata: readMap(env.pointee.metadata, env.pointee.n_metadata),
            payload: takePayload(&env.pointee.payload))
        if let s = env.pointee.status {
            out.status = RPCError(
                StatusCode(rawValue: Int32(bitPattern: s.pointee.code.rawValue)) ?? .unknown,
                s.pointee.message.map { String(cString: $0) } ?? "",
                details: readMap(s.pointee.details, s.pointee.n_details))
        }
        return out
    }

    /// Payloads at least this large are used in place, not copied.
    static let inPlacePayloadBytes = 16 << 10

    /// Decodes an envelope from a buffer that `release` frees (an nng
    /// message). A large payload stays in that buffer: the returned
    /// envelope's payload keeps it alive and releases it when dropped, and
    /// only the small rest of the envelope is unpacked by protobuf-c.
    /// Small messages are unpacked whole and released at once.
    public static func decode(borrowing bytes: UnsafeRawBufferPointer,
                              release: @escaping @Sendable () -> Void) -> Envelope? {
        guard let span = EnvelopeWire.payloadSpan(in: bytes), span.content.count >= inPlacePayloadBytes else {
            defer { release() }
            return decode(bytes)
        }
        var rest = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[..<span.field.lowerBound]))
        rest += UnsafeRawBufferPointer(rebasing: bytes[span.field.upperBound...])
        guard var envelope = rest.withUnsafeBytes({ decode($0) }) else {
            release()
            return nil
        }
        envelope.payload = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + span.content.lowerBound),
                                count: span.content.count, deallocator: .custom { _, _ in release() })
        return envelope
    }

    public static func decode(_ data: Data) -> Envelope? {
        data.withUnsafeBytes { decode($0) }
    }

    /// Takes ownership of protobuf-c's malloc'd payload buffer instead of
    /// copying it; the NULL left behind is skipped by free_unpacked.
    private static func takePayload(_ bytes: inout ProtobufCBinaryData) -> Data {
        guard bytes.len > 0, let data = bytes.data else { return Data() }
        bytes.data = nil
        return Data(bytesNoCopy: data, count: bytes.len, deallocator: .free)
    }

    private static func readMap<Entry: MapEntry>(_ entries: UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>?,
                                                 _ count: Int) -> [String: String] {
        var out: [String: String] = [:]
        for i in 0..<count {
            guard let e = entries?[i] else { continue }
            out[e.pointee.keyString] = e.pointee.valueString
        }
        return out
    }
}

protocol MapEntry {
    var keyString: String { get }
    var valueString: String { get }
}

extension Irg__V1__Envelope__MetadataEntry: MapEntry {
    var keyString: String { key.map { String(cString: $0) } ?? "" }
    var valueString: String { value.map { String(cString: $0) } ?? "" }
}

extension Irg__V1__Status__DetailsEntry: MapEntry {
    var keyString: String { key.map { String(cString: $0) } ?? "" }
    var valueString: String { value.map { String(cString: $0) } ?? "" }
}
