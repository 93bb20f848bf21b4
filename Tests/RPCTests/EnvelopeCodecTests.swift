import Foundation
@testable import IRGRPC
import Testing

@Suite struct EnvelopeCodecTests {
    func envelope(payloadBytes: Int) -> Envelope {
        Envelope(method: "irg.v1.Admin/Echo", requestID: 42, deadline: Deadline(unixMilliseconds: 1_900_000_000_000),
                 metadata: ["authorization": "t", "trace-id": "abc"],
                 payload: Data((0..<payloadBytes).map { UInt8(truncatingIfNeeded: $0 * 7) }),
                 status: RPCError(.invalidArgument, "bad shape", details: ["field": "motion"]))
    }

    func check(_ a: Envelope, _ b: Envelope?) {
        #expect(b?.method == a.method)
        #expect(b?.requestID == a.requestID)
        #expect(b?.deadline == a.deadline)
        #expect(b?.metadata == a.metadata)
        #expect(b?.payload == a.payload)
        #expect(b?.status == a.status)
    }

    @Test(arguments: [0, 100, 16 << 10, 1 << 20])
    func roundTrip(payloadBytes: Int) {
        let original = envelope(payloadBytes: payloadBytes)
        let bytes = EnvelopeCodec.encode(original)
        check(original, EnvelopeCodec.decode(bytes))
        let released = ReleaseCounter()
        let inPlace = bytes.withUnsafeBytes { EnvelopeCodec.decode(borrowing: $0, release: released.release) }
        check(original, inPlace)
        let early = released.count
        // Small payloads are copied and the buffer released at once; large ones hold it.
        #expect(early == (payloadBytes >= EnvelopeCodec.inPlacePayloadBytes ? 0 : 1))
    }

    /// Found by Scripts/fuzz.sh (target envelope): an envelope whose encoding fits in a few
    /// bytes was packed into a buffer Data(bytesNoCopy:) had already copied and freed.
    @Test func aTinyEnvelopeEncodesIntoLiveMemory() throws {
        let found: [UInt8] = [0x0a, 0x13, 0x15, 0x00, 0x7a, 0x76, 0x67, 0xcf, 0x9a, 0x9e, 0x93, 0x93, 0x97, 0xd0, 0xbf,
                              0x68, 0x65, 0x63, 0x6b, 0x10, 0x07]
        let envelope = try #require(EnvelopeCodec.decode(Data(found)))
        #expect(envelope.method == "\u{15}")  // protobuf-c keeps the embedded NUL; the method ends there
        for tiny in [envelope, Envelope(method: "a", requestID: 1), Envelope(method: "", requestID: 0)] {
            let encoded = EnvelopeCodec.encode(tiny)
            let again = try #require(EnvelopeCodec.decode(encoded))
            #expect(again.method == tiny.method && again.requestID == tiny.requestID)
        }
    }

    @Test func garbageIsNotAnEnvelope() {
        let garbage: [[UInt8]] = [[0xff, 0xff, 0xff], [0x2a, 0x05, 1, 2], Array("hello, nng".utf8), [0x0b]]
        for bytes in garbage {
            let released = ReleaseCounter()
            #expect(bytes.withUnsafeBytes { EnvelopeCodec.decode(borrowing: $0, release: released.release) } == nil)
            #expect(released.count == 1)
        }
    }

    @Test func payloadSpanIsFoundOrRefused() {
        let bytes = EnvelopeCodec.encode(envelope(payloadBytes: 300))
        let span = bytes.withUnsafeBytes { EnvelopeWire.payloadSpan(in: $0) }
        #expect(span?.content.count == 300)
        // Two payload fields: protobuf says the last wins; the scanner leaves that to protobuf-c.
        let twice = bytes + Data([0x2a, 0x01, 0x09])
        #expect(twice.withUnsafeBytes { EnvelopeWire.payloadSpan(in: $0) } == nil)
        #expect(EnvelopeCodec.decode(twice)?.payload == Data([0x09]))
    }
}

final class ReleaseCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var released = 0
    var count: Int { lock.withLock { released } }
    var release: @Sendable () -> Void { { [self] in lock.withLock { released += 1 } } }
}
