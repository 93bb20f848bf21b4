import Foundation
@testable import IRGModels
import IRGText
import Testing

/// The free-text tagger against the tags of real HumanML3D captions
/// (`caption#word/POS ...#start#end`; 000000's four are committed, and every
/// text in ../shared/data is read when it is there). Agreement is per token,
/// on the lemma and on the tag; the floor guards against regressions.
@Suite struct CaptionTaggerTests {
    static func taggedLines() throws -> [(caption: String, tagged: String)] {
        var files = [EvaluatorTests.fixture("humanml3d_000000.txt")]
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        let texts = dir.deletingLastPathComponent().appendingPathComponent("shared/data/humanml3d-samples/texts")
        if let names = try? FileManager.default.contentsOfDirectory(atPath: texts.path) {
            files = names.sorted().map { texts.appendingPathComponent($0) }
        }
        return try files.flatMap { file in
            try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map { line in
                let parts = line.split(separator: "#", omittingEmptySubsequences: false)
                return (String(parts[0]), String(parts[1]))
            }
        }
    }

    @Test func agreesWithRealTags() throws {
        var (tokens, sameWord, sameTag, sameLength) = (0, 0, 0, 0)
        var misses: [String] = []
        for (caption, tagged) in try Self.taggedLines() {
            let want = try TaggedCaption(tagged: tagged, maxLength: 1000).tokens.dropFirst().dropLast()
            let got = CaptionTagger.tagged(caption).split(separator: " ").map { token in
                let parts = token.split(separator: "/")
                return (word: String(parts[0]), tag: String(parts[1]))
            }
            if got.count == want.count { sameLength += 1 }
            for (g, w) in zip(got, want) {
                tokens += 1
                if g.word == w.word { sameWord += 1 } else { misses.append("\(g.word)!=\(w.word)") }
                if g.tag == w.tag { sameTag += 1 } else { misses.append("\(w.word):\(g.tag)!=\(w.tag)") }
            }
        }
        let (wordAgreement, tagAgreement) = (Double(sameWord) / Double(tokens), Double(sameTag) / Double(tokens))
        print("tagger: \(tokens) tokens, lemma agreement \(wordAgreement), tag agreement \(tagAgreement); differences \(misses)")
        #expect(sameLength == (try Self.taggedLines()).count, "token counts differ")
        #expect(wordAgreement >= 0.95 && tagAgreement >= 0.9)
    }

    @Test func motionCaptions() {
        let tagger = CaptionTagger.self
        #expect(tagger.tagged("A person walks forward, then jumps!") == "a/DET person/NOUN walk/VERB forward/ADV then/ADV jump/VERB")
        #expect(tagger.tagged("He does a kick with his left foot.") == "he/PRON do/VERB a/DET kick/NOUN with/ADP his/DET left/ADJ foot/NOUN")
        #expect(tagger.tagged("someone is waving both hands") == "someone/PRON is/AUX wave/VERB both/DET hand/NOUN")
        #expect(tagger.tagged("the man stepped back twice") == "the/DET man/NOUN step/VERB back/ADV twice/ADV")
        #expect(tagger.tagged("a t-pose, 2 times") == "a/DET tpose/NOUN time/NOUN")
    }
}
