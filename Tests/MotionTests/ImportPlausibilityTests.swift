import Foundation
@testable import IRGMotion
import Testing

/// What physics says must hold for imported real mocap: bones keep their
/// lengths, feet reach the floor, walks move forward.
@Suite struct ImportPlausibilityTests {
    static func boneLengthSpread(_ j: JointPositions) -> Float {
        let parents = Skeleton.humanML3D.parents
        return (1..<22).map { b -> Float in
            let lengths = (0..<j.frames).map { t -> Float in
                let d = j[t, b] - j[t, parents[b]]
                return (d * d).sum().squareRoot()
            }
            return lengths.max()! - lengths.min()!
        }.max()!
    }

    static func lowestFootPerFrame(_ j: JointPositions) -> [Float] {
        (0..<j.frames).map { t in [7, 8, 10, 11].map { j[t, $0].y }.min()! }
    }

    @Test func cmuWalk() throws {
        let j = try MotionImport.amc(FixtureData.url("cmu/02_01.amc"), asf: FixtureData.url("cmu/02.asf"))
        #expect(j.frames == 58)  // 343 frames at 120 fps = 2.85 s
        // ASF bones are rigid; midpoint collars too.
        #expect(Self.boneLengthSpread(j) < 1e-5)
        let feet = Self.lowestFootPerFrame(j)
        print("cmu 02_01: lowest foot \(feet.min()!) .. \(feet.max()!) m, travel \(j[j.frames - 1, 0] - j[0, 0])")
        #expect(feet.min()! > -0.02 && feet.max()! < 0.1)
        let travel = j[j.frames - 1, 0] - j[0, 0]
        #expect((travel.x * travel.x + travel.z * travel.z).squareRoot() > 2)
        // The features put it facing +Z, so a forward walk moves +Z in the root's own frame.
        let f = try FeatureExtractor().features(j)
        let forward = (0..<f.frames).map { f.values[$0 * 263 + 2] }.reduce(0, +)
        #expect(forward > 2)
    }

    @Test(arguments: BVHTests.clips)
    func bandaiNamcoClips(clip: String) throws {
        let j = try MotionImport.bvh(FixtureData.url("bandai-namco/\(clip).bvh"))
        let feet = Self.lowestFootPerFrame(j)
        print("\(clip): lowest foot \(feet.min()!) .. \(feet.max()!) m, bone spread \(Self.boneLengthSpread(j)) m")
        #expect(feet.min()! > -0.03 && feet.min()! < 0.1)
        if clip.contains("walk") || clip.contains("run") {
            let f = try FeatureExtractor().features(j)
            let forward = (0..<f.frames).map { f.values[$0 * 263 + 2] }.reduce(0, +)
            #expect(forward > 0.5, "\(clip) should move forward, moved \(forward) m")
        }
    }
}
