import Foundation
import IRGProto
import Testing

@Suite struct ProtoJSONTests {
    let descriptor = ProtoRegistry.message(named: "irg.v1.MotionAssessRequest")!

    @Test func jsonRoundTrip() throws {
        let message = ProtoCodecTests.richMessage()
        let json = ProtoJSON.encode(message)
        #expect(json.contains("\"fps\" : 20"))
        #expect(json.contains("\"dtype\" : \"INT32\""))
        #expect(json.contains("\"shape\" : [\n"))
        #expect(try ProtoJSON.decode(json, as: descriptor) == message)
    }

    @Test func acceptsOriginalNamesNumbersAsStringsAndEnumNumbers() throws {
        let tensor = ProtoRegistry.message(named: "irg.v1.Tensor")!
        let a = try ProtoJSON.decode(#"{"shape": ["2", 3], "dtype": 1, "data": "AAEC"}"#, as: tensor)
        #expect(a.list("shape") == [.uint(2), .uint(3)])
        #expect(a.enumValue("dtype") == 1)
        #expect(a.bytes("data") == [0, 1, 2])
        let envelope = ProtoRegistry.message(named: "irg.v1.Envelope")!
        let b = try ProtoJSON.decode(#"{"request_id": "18446744073709551615", "metadata": {"trace-id": "x"}}"#, as: envelope)
        #expect(b.uint("request_id") == UInt64.max)
        #expect(b.stringMap("metadata") == ["trace-id": "x"])
    }

    @Test func printsDefaultsOfScalars() {
        let reply = ProtoMessage(type: "irg.v1.HealthCheckResponse")
        #expect(ProtoJSON.encode(reply, pretty: false) == #"{"status":"UNKNOWN"}"#)
    }

    @Test func errorsNameTheProblem() {
        #expect(throws: ProtoError.unknownField(type: "irg.v1.MotionAssessRequest", field: "txt")) {
            try ProtoJSON.decode(#"{"txt": "x"}"#, as: descriptor)
        }
        #expect(throws: ProtoError.invalidJSON("irg.v1.MotionAssessRequest.text must be a string")) {
            try ProtoJSON.decode(#"{"text": 5}"#, as: descriptor)
        }
        let tensor = ProtoRegistry.message(named: "irg.v1.Tensor")!
        #expect(throws: ProtoError.unknownEnumValue(field: "irg.v1.Tensor.dtype", value: "FLOAT64")) {
            try ProtoJSON.decode(#"{"dtype": "FLOAT64"}"#, as: tensor)
        }
        #expect(throws: ProtoError.invalidJSON("irg.v1.Tensor.shape[0] must be a non-negative integer")) {
            try ProtoJSON.decode(#"{"shape": [-1]}"#, as: tensor)
        }
        #expect(throws: ProtoError.self) { try ProtoJSON.decode("{not json", as: tensor) }
    }
}
