import Foundation
@testable import IRGModels
import IRGMotion
import IRGService
import Testing

/// The text-motion matching evaluator against PyTorch
/// (Scripts/reference/make_evaluator_fixtures.py): text and motion embeddings
/// within 1e-4 relative to the largest magnitude, for HumanML3D's sizes with
/// deterministic weights and for small converted checkpoints in F32 and BF16.
@Suite struct EvaluatorTests {
    static func fixture(_ path: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/evaluator/\(path)", withExtension: nil)!
    }

    static let captions: [String] = {
        let text = try! String(contentsOf: fixture("captions.txt"), encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }()

    /// The fixture script's motions: four real clips, 012314 repeated to 196
    /// and 230 frames, and cut to 4.
    static func motions() throws -> [MotionFeatures] {
        let base = try VQVAETests.motionFixture("012314")
        let clips = try ["walk", "run", "byebye"].map(VQVAETests.motionFixture)
        let frames = { (count: Int) in
            MotionFeatures(frames: count, dim: 263, values: (0..<count).flatMap { base.row($0 % base.frames) })
        }
        return [base] + clips + [frames(196), frames(230), frames(4)]
    }

    static func relativeError(_ got: [Float], _ file: URL) throws -> Float {
        let expected = try NPYArray.read(file).floats()
        #expect(got.count == expected.count)
        let scale = expected.map(abs).max()!
        return zip(got, expected).map { abs($0 - $1) }.max()! / scale
    }

    func check(_ checkpoint: EvaluatorCheckpoint, folder: String) throws {
        let motionError = try Self.relativeError(checkpoint.evaluator.embed(motions: Self.motions()),
                                                 Self.fixture("\(folder)/motion_embeddings.npy"))
        let textError = try Self.relativeError(checkpoint.embed(taggedCaptions: Self.captions),
                                               Self.fixture("\(folder)/text_embeddings.npy"))
        print("evaluator \(folder): motion rel \(motionError), text rel \(textError)")
        #expect(motionError <= 1e-4 && textError <= 1e-4, "\(folder): motion \(motionError), text \(textError)")
    }

    /// Seconds of compute: on a ComputeQueue thread, as services run models, so
    /// that the cooperative pool stays free for the socket tests beside it.
    @Test func defaultSizesMatchPyTorch() async throws {
        let (motionError, textError) = try await ComputeQueue.run {
            let normalization = try Normalization(meanFile: Self.fixture("mean.npy"), stdFile: Self.fixture("std.npy"))
            let evaluator = try TextMotionEvaluator(DeterministicWeights(seed: 11), normalization: normalization)
            let vectorizer = try WordVectorizer(folder: Self.fixture("vocabulary"))
            let captions = try Self.captions.map { try TaggedCaption(tagged: $0) }
            return (try Self.relativeError(evaluator.embed(motions: Self.motions()), Self.fixture("default/motion_embeddings.npy")),
                    try Self.relativeError(evaluator.embed(captions: captions, vectorizer: vectorizer),
                                           Self.fixture("default/text_embeddings.npy")))
        }
        print("evaluator default: motion rel \(motionError), text rel \(textError)")
        #expect(motionError <= 1e-4 && textError <= 1e-4)
    }

    @Test(arguments: ["small_f32", "small_bf16"])
    func convertedCheckpointsMatchPyTorch(folder: String) throws {
        try check(EvaluatorCheckpoint(Self.fixture(folder)), folder: folder)
    }

    @Test func vipListsOverrideTagsAndUnknownWordsAreUnk() throws {
        let vectorizer = try WordVectorizer(words: ["unk", "walk", "hello"], vectors: [0, 0, 1, 1, 2, 2])
        #expect(vectorizer.vector(word: "walk", tag: "NOUN").partOfSpeech == WordVectorizer.index("Act_VIP"))
        #expect(vectorizer.vector(word: "hello", tag: "INTJ").partOfSpeech == WordVectorizer.index("OTHER"))
        let unknown = vectorizer.vector(word: "zzqx", tag: "VERB")
        #expect(Array(unknown.vector) == [0, 0] && unknown.partOfSpeech == 14)
        let caption = try TaggedCaption(tagged: (0..<25).map { "w\($0)/NOUN" }.joined(separator: " "))
        #expect(caption.tokens.count == 22 && caption.tokens.first! == ("sos", "OTHER") && caption.tokens[20].word == "w19")
    }

    @Test func badInputIsAClearError() throws {
        let checkpoint = try EvaluatorCheckpoint(Self.fixture("small_f32"))
        let short = MotionFeatures(frames: 3, dim: 263, values: [Float](repeating: 0, count: 3 * 263))
        #expect(throws: MotionError.self) { try checkpoint.evaluator.embed(motions: [short]) }
        let wide = MotionFeatures(frames: 8, dim: 251, values: [Float](repeating: 0, count: 8 * 251))
        #expect(throws: MotionError.self) { try checkpoint.evaluator.embed(motions: [wide]) }
        let nan = MotionFeatures(frames: 8, dim: 263, values: [Float](repeating: .nan, count: 8 * 263))
        #expect(throws: MotionError.self) { try checkpoint.evaluator.embed(motions: [nan]) }
        #expect(throws: MotionError.self) { try checkpoint.embed(taggedCaptions: ["a person walks"]) }
        #expect(throws: MotionError.self) { try checkpoint.embed(taggedCaptions: [""]) }
    }
}
