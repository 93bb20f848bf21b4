import Foundation
@testable import IRGDataset
import IRGText
import Testing

@Suite struct CaptionTests {
    /// Every phrasing, with every style word, tags without an unknown word.
    @Test func everyTemplateWordIsInTheLexicon() throws {
        var writer = CaptionWriter(seed: 1)
        let all = CaptionTemplates.contents.values.flatMap { $0.train + $0.heldOut }
            + CaptionTemplates.cmu.values.flatMap { $0.train + $0.heldOut }
        for template in all {
            for style in CaptionTemplates.styles.values {
                for _ in 0..<4 { _ = try CaptionTagger.tokens(writer.fill(template, style: style)) }
            }
        }
    }

    @Test func everyContentHasEnoughPhrasings() {
        for (name, p) in CaptionTemplates.contents.merging(CaptionTemplates.cmu, uniquingKeysWith: { a, _ in a }) {
            #expect(p.train.count >= 8, "\(name)")
            #expect(p.heldOut.count >= 2, "\(name)")
            #expect(Set(p.train).isDisjoint(with: p.heldOut), "\(name)")
        }
    }

    @Test func tagsAndLemmasFollowHumanML3D() throws {
        #expect(try CaptionTagger.tokens("A person waves the left hand happily.") ==
            ["a/DET", "person/NOUN", "wave/VERB", "the/DET", "left/ADJ", "hand/NOUN", "happily/ADV"])
        #expect(try CaptionTagger.tokens("someone walks to the left.") ==
            ["someone/PRON", "walk/VERB", "to/ADP", "the/DET", "left/NOUN"])
        #expect(try CaptionTagger.tokens("the person lifts a hand to wave goodbye.") ==
            ["the/DET", "person/NOUN", "lift/VERB", "a/DET", "hand/NOUN", "to/PART", "wave/VERB", "goodbye/NOUN"])
        #expect(try CaptionTagger.tokens("a human takes several steps forward.") ==
            ["a/DET", "human/NOUN", "take/VERB", "several/ADJ", "step/NOUN", "forward/ADV"])
        #expect(throws: CaptionTagger.UnknownWord.self) { try CaptionTagger.tokens("a person moonwalks.") }
    }

    @Test func styleIsWovenInAndArticlesAgree() {
        var writer = CaptionWriter(seed: 7)
        let angry = CaptionTemplates.styles["angry"]!
        let captions = (0..<40).map { _ in writer.fill("{who} walks forward{how}.", style: angry) }
        #expect(captions.allSatisfy { $0.contains("angr") || $0.contains("furious") || $0.contains("anger") })
        #expect(!captions.contains { $0.contains("a angry") })
        #expect(captions.contains { $0.hasPrefix("an angry") || $0.hasPrefix("the angry") || $0.hasPrefix("a furious") })
    }

    @Test func mirroringSwapsLeftAndRight() {
        #expect(mirrorCaption("a person waves the left hand, then the Right one.") ==
            "a person waves the right hand, then the left one.")
        #expect(mirrorCaption("leftover words stay") == "leftover words stay")
    }

    @Test func windowsAreTwoToTenSeconds() {
        #expect(DatasetBuilder.windows(frames: 19, minFrames: 20, maxFrames: 200).isEmpty)
        #expect(DatasetBuilder.windows(frames: 150, minFrames: 20, maxFrames: 200) == [0..<150])
        let long = DatasetBuilder.windows(frames: 1267, minFrames: 20, maxFrames: 200)
        #expect(long.count == 7 && long.allSatisfy { $0.count <= 200 && $0.count >= 100 } && long.last!.upperBound == 1267)
    }
}
