import Foundation
@testable import IRGMotion
import Testing

/// Inputs Scripts/fuzz.sh found that crashed a reader (a trap on overflow or
/// out-of-range access); each must now be refused with an error.
@Suite struct FuzzRegressionTests {
    func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: FixtureData.url("fuzz/\(name)"))) }

    @Test func anNPYWhoseShapeOverflowsIsRefused() throws {
        #expect(throws: NPYError.self) { _ = try NPYArray.decode(try bytes("npy-overflowing-shape")) }
    }

    @Test func aZIPEntryNameRunningPastTheEndIsRefused() throws {
        #expect(throws: MotionError.self) { _ = try NPZ.decode(try bytes("npz-name-past-the-end")) }
    }

    @Test func aZIPEntryClaimingMoreThanDeflateCanMakeIsRefusedBeforeAllocating() throws {
        #expect(throws: MotionError.self) { _ = try NPZ.decode(try bytes("npz-huge-inflated-size")) }
    }

    @Test func aBVHWithAnImpossibleCountIsRefused() throws {
        let text = String(decoding: try bytes("bvh-huge-channel-count"), as: UTF8.self)
        #expect(throws: MotionError.self) { _ = try BVHFile.parse(text) }
        #expect(throws: MotionError.self) { _ = try BVHFile.parse("HIERARCHY ROOT Hips { OFFSET 0 0 0 CHANNELS 3 Xposition Yposition Zposition } MOTION Frames: 1e300 Frame Time: 0.1") }
    }

    @Test func safetensorsWithOverflowingShapesOrOffsetsAreRefused() throws {
        for entry in [#"{"w": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 0]}}"#,
                      #"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [9223372036854775800, 9223372036854775807]}}"#,
                      #"{"w": {"dtype": "F32", "shape": [-1, -4], "data_offsets": [0, 16]}}"#] {
            var file = Data()
            let header = Data(entry.utf8)
            withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
            file.append(header)
            file.append(Data(count: 16))
            #expect(throws: MotionError.self) { _ = try SafeTensorsCheckpoint(bytes: file, name: "bad.safetensors") }
        }
        var huge = Data(repeating: 0xFF, count: 8)  // a header length of 2^64 - 1
        huge.append(Data("{}".utf8))
        #expect(throws: MotionError.self) { _ = try SafeTensorsCheckpoint(bytes: huge, name: "bad.safetensors") }
    }
}
