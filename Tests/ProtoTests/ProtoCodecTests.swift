import Foundation
import IRGProto
import Testing

@Suite struct ProtoCodecTests {
    /// A message that uses every kind of field the API has: nested messages,
    /// repeated scalars and messages, a oneof, bytes, enums, 64-bit ints, maps.
    static func richMessage() -> ProtoMessage {
        var tensor = ProtoMessage(type: "irg.v1.Tensor")
        tensor["shape"] = .list([.uint(2), .uint(3)])
        tensor["dtype"] = .enumValue(1)
        tensor["data"] = .bytes(Array(0..<24))
        var motion = ProtoMessage(type: "irg.v1.Motion")
        motion["features"] = .message(tensor)
        motion["fps"] = .float(20)
        var request = ProtoMessage(type: "irg.v1.MotionAssessRequest")
        request["text"] = .string("a person waves — énergiquement 👋")
        request["motion"] = .message(motion)
        return request
    }

    @Test func roundTripsEveryFieldKind() throws {
        let message = Self.richMessage()
        let bytes = try ProtoCodec.encode(message)
        let back = try ProtoCodec.decode(bytes, as: message.descriptor)
        #expect(back == message)
        #expect(back.message("motion")?.message("features")?.bytes("data") == Array(0..<24))
    }

    @Test func oneofKeepsOnlyTheSetMember() throws {
        var request = ProtoMessage(type: "irg.v1.MotionAssessRequest")
        var codes = ProtoMessage(type: "irg.v1.MotionCodes")
        codes["codes"] = .list([.int(5), .int(511), .int(0)])
        request["codes"] = .message(codes)
        let back = try ProtoCodec.decode(try ProtoCodec.encode(request), as: request.descriptor)
        #expect(back.message("motion") == nil)
        #expect(back.message("codes")?.list("codes") == [.int(5), .int(511), .int(0)])
    }

    @Test func mapsAndSixtyFourBitIntegers() throws {
        var status = ProtoMessage(type: "irg.v1.Status")
        status["code"] = .enumValue(3)
        status.setStringMap("details", ["field": "motion.shape", "why": "wrong rank"])
        var envelope = ProtoMessage(type: "irg.v1.Envelope")
        envelope["request_id"] = .uint(UInt64.max)
        envelope["deadline_unix_ms"] = .int(-1)
        envelope["status"] = .message(status)
        let back = try ProtoCodec.decode(try ProtoCodec.encode(envelope), as: envelope.descriptor)
        #expect(back.uint("request_id") == UInt64.max)
        #expect(back.int("deadline_unix_ms") == -1)
        #expect(back.message("status")?.stringMap("details") == ["field": "motion.shape", "why": "wrong rank"])
    }

    /// Bytes written by Python's protobuf (Scripts/make_proto_fixtures.py).
    @Test func decodesWhatPythonProtobufWrites() throws {
        let url = Bundle.module.url(forResource: "python_assess_request", withExtension: "bin", subdirectory: "Fixtures")!
        let bytes = Array(try Data(contentsOf: url))
        let decoded = try ProtoCodec.decode(bytes, as: Self.richMessage().descriptor)
        #expect(decoded == Self.richMessage())
        #expect(try ProtoCodec.encode(decoded) == bytes)
    }

    @Test func malformedBytesAreAnError() {
        let descriptor = ProtoMessage(type: "irg.v1.Envelope").descriptor
        #expect(throws: ProtoError.malformed(type: "irg.v1.Envelope")) {
            try ProtoCodec.decode([0xff, 0xff, 0xff, 0xff, 0xff], as: descriptor)
        }
    }

    @Test func wrongValueKindIsAnError() {
        var tensor = ProtoMessage(type: "irg.v1.Tensor")
        tensor["data"] = .string("not bytes")
        #expect(throws: ProtoError.self) { try ProtoCodec.encode(tensor) }
    }
}
