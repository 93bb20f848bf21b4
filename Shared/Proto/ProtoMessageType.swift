import Foundation

/// A message type generated from `Protos/` (Shared/Proto/Generated): named,
/// typed properties, converted to and from `ProtoMessage`, whose codec is
/// protobuf-c. Service code builds and reads these; field names as strings
/// live only in the generated files and the dynamic paths (`irg call`, JSON).
public protocol ProtoMessageType: Equatable, Sendable {
    /// "irg.v1.Motion"
    static var protoTypeName: String { get }
    static var protoDescriptor: MessageDescriptor { get }
    init()
    init(protoMessage: ProtoMessage)
    var protoMessage: ProtoMessage { get }
}

extension ProtoMessageType {
    /// Parses protobuf wire bytes; bytes that are not this message throw `ProtoError.malformed`.
    public init(serializedBytes bytes: [UInt8]) throws {
        self.init(protoMessage: try ProtoCodec.decode(bytes, as: Self.protoDescriptor))
    }

    public init(serializedData data: Data) throws {
        self.init(protoMessage: try ProtoCodec.decode(data, as: Self.protoDescriptor))
    }

    public func serializedBytes() throws -> [UInt8] { try ProtoCodec.encode(protoMessage) }

    public func serializedData() throws -> Data { try ProtoCodec.encodeData(protoMessage) }

    /// proto3 JSON, as `irg call` prints it.
    public func jsonString(pretty: Bool = true) -> String { ProtoJSON.encode(protoMessage, pretty: pretty) }

    public init(jsonString: String) throws {
        self.init(protoMessage: try ProtoJSON.decode(jsonString, as: Self.protoDescriptor))
    }

    /// Builds a message in one expression: `Irg_V1_Tensor.with { $0.shape = [2, 3] }`.
    public static func with(_ populate: (inout Self) throws -> Void) rethrows -> Self {
        var message = Self()
        try populate(&message)
        return message
    }
}

/// A generated enum: every named value as a case, and any other number kept
/// in `UNRECOGNIZED` so that a newer peer's value survives a round trip.
public protocol ProtoEnum: RawRepresentable, Equatable, Hashable, Sendable where RawValue == Int32 {
    init()
    init(rawValue: Int32)
}
