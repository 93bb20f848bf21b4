import Foundation
@testable import IRGMotion
import Testing

/// safetensors and .npz written by the official Python libraries
/// (Scripts/reference/make_format_fixtures.py), and NPY round trips.
@Suite struct FormatTests {
    struct Expected: Decodable {
        let shape: [Int]
        let values: [Double]
    }

    static let expected: [String: Expected] = {
        let data = try! Data(contentsOf: FixtureData.url("formats/expected.json"))
        var all = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        all["npz"] = nil
        return try! JSONDecoder().decode([String: Expected].self, from: JSONSerialization.data(withJSONObject: all))
    }()

    @Test func readsEveryDTypeThePythonLibraryWrites() throws {
        let checkpoint = try SafeTensorsCheckpoint(FixtureData.url("formats/mixed.safetensors"))
        #expect(checkpoint.metadata == ["format": "pt", "note": "irg fixture"])
        #expect(checkpoint.tensors["brain"]?.dtype == .bf16 && checkpoint.tensors["half"]?.dtype == .f16)
        for (name, want) in Self.expected {
            let tensor = try checkpoint.tensor(name, shape: want.shape)
            #expect(tensor.floats() == want.values.map(Float.init), "\(name)")
        }
        #expect(throws: MotionError.badShape("tensor 'ids64' has shape [1, 2], expected [2]")) {
            try checkpoint.tensor("ids64", shape: [2])
        }
        #expect(throws: MotionError.self) { try checkpoint.tensor("vqvae.missing") }
    }

    @Test func readsShardsThroughTheIndex() throws {
        let checkpoint = try SafeTensorsCheckpoint(FixtureData.url("formats/sharded"))
        #expect(try checkpoint.tensor("a").floats() == Self.expected["encoder.weight"]!.values.map(Float.init))
        #expect(try checkpoint.tensor("b").floats() == Self.expected["half"]!.values.map(Float.init))
    }

    @Test func writeThenReadIsIdentical() throws {
        let original = try SafeTensorsCheckpoint(FixtureData.url("formats/mixed.safetensors"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("irg-\(getpid()).safetensors")
        try original.write(url)
        let again = try SafeTensorsCheckpoint(url)
        #expect(again.metadata == original.metadata)
        for (name, t) in original.tensors {
            #expect(again.tensors[name]?.data == t.data && again.tensors[name]?.shape == t.shape)
        }
    }

    @Test(arguments: ["stored", "compressed"])
    func readsNPZ(kind: String) throws {
        let arrays = try NPZ.read(FixtureData.url("formats/\(kind).npz"))
        #expect(Set(arrays.keys) == ["x", "y", "z"])
        #expect(arrays["x"]?.shape == [2, 3] && arrays["x"]?.dtype == .float32)
        #expect(arrays["x"]?.floats() == [0, 0.25, 0.5, 0.75, 1, 1.25])
        #expect(arrays["y"]?.int64s() == [1, -2])
        #expect(arrays["z"]?.doubles() == [0.1, 0.2])
    }

    @Test func npyRoundTripsEveryDTypeAndShape() throws {
        let cases = [
            NPYArray(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6]),
            NPYArray(shape: [3], doubles: [0.1, -2, 1e300]),
            NPYArray(shape: [], int32s: [7]),
            NPYArray(shape: [1, 1, 2], dtype: .int64, bytes: [Int64(-1), Int64.max].withUnsafeBytes { Array($0) }),
            NPYArray(shape: [0, 263], floats: []),
        ]
        for array in cases {
            #expect(try NPYArray.decode(array.encoded()) == array)
            #expect(array.encoded().count % 64 == array.bytes.count % 64)  // data starts 64-byte aligned
        }
        #expect(throws: NPYError.notNPY("bad magic")) { try NPYArray.decode(Array("not numpy at all".utf8)) }
        // Fortran order (a transposed array saved as is) is read back in C order.
        var fortran = NPYArray(shape: [2, 3], floats: [1, 4, 2, 5, 3, 6]).encoded()
        let header = String(decoding: fortran, as: UTF8.self).range(of: "False")!
        let at = String(decoding: fortran, as: UTF8.self).distance(from: String(decoding: fortran, as: UTF8.self).startIndex, to: header.lowerBound)
        fortran.replaceSubrange(at..<at + 5, with: Array("True ".utf8))
        #expect(try NPYArray.decode(fortran).floats() == [1, 2, 3, 4, 5, 6])
    }
}
