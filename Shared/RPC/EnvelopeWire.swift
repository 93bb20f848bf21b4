/// Just enough protobuf wire format to find where `Envelope.payload`
/// (field 5) lies in a packed envelope, so a large payload can be used in
/// place instead of copied by protobuf-c.
enum EnvelopeWire {
    static let payloadField: UInt64 = 5

    struct PayloadSpan {
        /// The whole field: tag, length and content.
        let field: Range<Int>
        /// The payload bytes.
        let content: Range<Int>
    }

    /// The payload's span, or nil when the bytes hold no payload, more than
    /// one (proto's last-one-wins would then apply), or anything unusual:
    /// the caller then falls back to protobuf-c for the whole message.
    static func payloadSpan(in bytes: UnsafeRawBufferPointer) -> PayloadSpan? {
        var reader = Reader(bytes: bytes)
        var found: PayloadSpan?
        while !reader.atEnd {
            let start = reader.position
            guard let tag = reader.varint() else { return nil }
            switch tag & 7 {
            case 0:
                guard reader.varint() != nil else { return nil }
            case 1:
                guard reader.skip(8) else { return nil }
            case 2:
                guard let length = reader.varint(), length <= UInt64(bytes.count) else { return nil }
                let contentStart = reader.position
                guard reader.skip(Int(length)) else { return nil }
                if tag >> 3 == payloadField {
                    guard found == nil else { return nil }
                    found = PayloadSpan(field: start..<reader.position, content: contentStart..<reader.position)
                }
            case 5:
                guard reader.skip(4) else { return nil }
            default:
                return nil  // groups: never in our messages
            }
        }
        return found
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        var atEnd: Bool { position >= bytes.count }

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                guard position < bytes.count else { return nil }
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7f) << UInt64(shift)
                if byte & 0x80 == 0 { return value }
            }
            return nil
        }

        mutating func skip(_ count: Int) -> Bool {
            guard count >= 0, count <= bytes.count - position else { return false }
            position += count
            return true
        }
    }
}
