import Foundation
import IRGProto
import Testing

/// Messages written by Python's protobuf (Scripts/make_proto_fixtures.py):
/// each decodes into its generated type with the values Python's json_format
/// reports, and re-encodes to the same bytes.
@Suite struct WireFixtureTests {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/wire")

    static var fixtures: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?
            .filter { $0.hasSuffix(".bin") }.map { String($0.dropLast(4)) }.sorted() ?? []
    }

    @Test func thereIsAFixtureForEveryService() {
        let typeNames = Set(Self.fixtures.map(Self.typeName))
        for method in ProtoRegistry.methods.values {
            let covered = ProtoRegistry.methods(ofService: method.service)
                .contains { typeNames.contains($0.input.name) || typeNames.contains($0.output.name) }
            #expect(covered, "no wire fixture for any message of \(method.service)")
        }
    }

    @Test(arguments: fixtures)
    func decodesToPythonsValuesAndReencodesByteForByte(_ fixture: String) throws {
        let type = try #require(ProtoMessageTypes.all[Self.typeName(fixture)], "no generated type for \(fixture)")
        let bytes = Array(try Data(contentsOf: Self.folder.appendingPathComponent(fixture + ".bin")))
        let python = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent(fixture + ".json")))
        try check(type, bytes: bytes, python: python)
    }

    private func check<Message: ProtoMessageType>(_ type: Message.Type, bytes: [UInt8], python: Any) throws {
        let message = try Message(serializedBytes: bytes)
        #expect(try message.serializedBytes() == bytes, "re-encoded bytes differ")
        #expect(Message(protoMessage: message.protoMessage) == message, "typed -> dynamic -> typed changed the value")
        let ours = try JSONSerialization.jsonObject(with: Data(message.jsonString().utf8))
        let differences = Self.differences(ours, python, path: Message.protoTypeName)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    /// "irg.v1.StartJobRequest.2" -> "irg.v1.StartJobRequest"
    static func typeName(_ fixture: String) -> String {
        let parts = fixture.split(separator: ".")
        return parts.last.map { Int($0) != nil } == true ? parts.dropLast().joined(separator: ".") : fixture
    }

    /// Where two JSON values differ; float32 fields compare to their precision.
    static func differences(_ a: Any, _ b: Any, path: String) -> [String] {
        switch (a, b) {
        case (let x as [String: Any], let y as [String: Any]):
            guard Set(x.keys) == Set(y.keys) else { return ["\(path): keys \(x.keys.sorted()) vs \(y.keys.sorted())"] }
            return x.keys.sorted().flatMap { differences(x[$0]!, y[$0]!, path: "\(path).\($0)") }
        case (let x as [Any], let y as [Any]):
            guard x.count == y.count else { return ["\(path): \(x.count) vs \(y.count) items"] }
            return zip(x, y).enumerated().flatMap { differences($1.0, $1.1, path: "\(path)[\($0)]") }
        case (let x as NSNumber, let y as NSNumber):
            let (u, v) = (x.doubleValue, y.doubleValue)
            return u == v || abs(u - v) <= 1e-6 * max(abs(u), abs(v)) ? [] : ["\(path): \(u) vs \(v)"]
        case (let x as String, let y as String):
            return x == y ? [] : ["\(path): \(x) vs \(y)"]
        default:
            return ["\(path): \(a) vs \(b)"]
        }
    }
}
