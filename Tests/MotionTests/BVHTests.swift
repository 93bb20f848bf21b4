import Foundation
@testable import IRGMotion
import Testing

@Suite struct BVHTests {
    static let clips = ["dataset-1_walk_normal_002", "dataset-1_run_normal_001", "dataset-1_byebye_angry_001"]

    /// Real Bandai-Namco clips -> SMPL-22 at 20 fps, against the NumPy reference's reader.
    @Test(arguments: clips)
    func importMatchesTheReference(clip: String) throws {
        let joints = try MotionImport.bvh(FixtureData.url("bandai-namco/\(clip).bvh"))
        let expected = try JointPositions(FixtureData.npy("reference/\(clip)_joints.npy"))
        #expect(joints.frames == expected.frames)
        let error = zip(joints.values, expected.values).map { abs($0 - $1) }.max()!
        print("bvh import \(clip): \(joints.frames) frames, max abs error \(error) m")
        #expect(error <= 1e-5)
    }

    @Test func positionChannelsReplaceOffsetsAndRotationsFollowTheListedOrder() throws {
        let text = """
        HIERARCHY
        ROOT hips
        {
          OFFSET 0 0 0
          CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
          JOINT arm
          {
            OFFSET 100 0 0
            CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
            End Site
            {
              OFFSET 0 10 0
            }
          }
        }
        MOTION
        Frames: 2
        Frame Time: 0.5
        1 2 3 0 0 0 10 0 0 0 0 0
        1 2 3 90 0 0 10 0 0 0 90 0
        """
        let file = try BVHFile.parse(text)
        let world = file.worldPositions()
        // The arm's position channel (10, 0, 0) replaces its OFFSET (100, 0, 0).
        #expect(world[0][1] == SIMD3(11, 2, 3))
        // Frame 1: the root turns 90 degrees about Z, so the arm's (10, 0, 0) becomes (0, 10, 0).
        #expect(abs(world[1][1].x - 1) < 1e-12 && abs(world[1][1].y - 12) < 1e-12)
        // End site (0, 10, 0) under Rz(90) then the arm's own Rx(90): Rz(Rx(0,10,0)) = Rz(0,0,10) = (0,0,10).
        #expect(abs(world[1][2].z - 13) < 1e-12)
    }

    @Test func resamplesAtTwentyFramesPerSecondUpToTheLastFrame() {
        // 4 frames at 0.1 s: times 0, .1, .2, .3 -> samples at 0, .05, ..., .3 (7 frames).
        let frames = (0..<4).map { [SIMD3<Double>(Double($0), 0, 0)] }
        let out = MotionImport.resample(frames, frameTime: 0.1, fps: 20)
        #expect(out.frames == 7)
        #expect(out[1, 0].x == 0.5 && out[6, 0].x == 3)
    }

    @Test func errorsNameTheProblem() throws {
        #expect(throws: MotionError.parse("not a BVH file: no HIERARCHY")) { try BVHFile.parse("hello") }
        #expect(throws: MotionError.parse("frame 0 has fewer than 6 values")) {
            try BVHFile.parse("HIERARCHY ROOT a { OFFSET 0 0 0 CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation } MOTION Frames: 1 Frame Time: 0.1 1 2 3")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("irg-bvh-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("two.bvh")
        try "HIERARCHY ROOT Hips { OFFSET 0 0 0 CHANNELS 3 Xposition Yposition Zposition } MOTION Frames: 1 Frame Time: 0.1 0 0 0".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: MotionError.self) { try MotionImport.bvh(file) }
    }
}

@Suite struct BVHExportTests {
    /// import -> export-bvh -> import gives the same joints.
    @Test(arguments: BVHTests.clips)
    func roundTrip(clip: String) throws {
        let joints = try MotionImport.bvh(FixtureData.url("bandai-namco/\(clip).bvh"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("irg-roundtrip-\(getpid())-\(clip).bvh")
        try BVHExport.bvh(joints).write(to: url, atomically: true, encoding: .utf8)
        let again = try MotionImport.bvh(url)
        #expect(again.frames == joints.frames)
        let error = zip(again.values, joints.values).map { abs($0 - $1) }.max()!
        print("bvh round trip \(clip): max abs error \(error) m")
        #expect(error <= 1e-4)
        // The exported file names SMPL's joints, so import picks the smpl mapping.
        let names = Set(try BVHFile.read(url).joints.filter { !$0.isEndSite }.map(\.name))
        #expect(names == Set(Skeleton.humanML3D.jointNames))
    }
}
