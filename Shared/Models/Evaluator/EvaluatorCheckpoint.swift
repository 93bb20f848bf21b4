import Foundation
import IRGMotion
import IRGText

/// An evaluator folder, as Scripts/convert_evaluator.py writes it:
/// `evaluator.safetensors` (finest.tar's three state dicts under
/// `movement_encoder.`, `text_encoder.`, `motion_encoder.`), the evaluator's own
/// `mean.npy`/`std.npy`, optional `config.json`, and the GloVe vocabulary as
/// `words.txt` + `word_vectors.npy` (needed for texts only).
public struct EvaluatorCheckpoint: Sendable {
    public let evaluator: TextMotionEvaluator
    public let vectorizer: WordVectorizer?
    public let folder: URL

    public init(_ folder: URL) throws {
        self.folder = folder
        let config = try checkpointConfig(in: folder, default: EvaluatorConfig(), model: "evaluator")
        let weights = try SafeTensorsCheckpoint(folder.appendingPathComponent("evaluator.safetensors"))
        let normalization = try Normalization(meanFile: folder.appendingPathComponent("mean.npy"),
                                              stdFile: folder.appendingPathComponent("std.npy"))
        evaluator = try TextMotionEvaluator(weights, normalization: normalization, config: config)
        let hasWords = FileManager.default.fileExists(atPath: folder.appendingPathComponent("words.txt").path)
        vectorizer = hasWords ? try WordVectorizer(folder: folder) : nil
    }

    /// A model built in memory (benchmarks, tests): no folder behind it.
    public init(evaluator: TextMotionEvaluator, vectorizer: WordVectorizer?) {
        self.evaluator = evaluator
        self.vectorizer = vectorizer
        folder = URL(fileURLWithPath: "/dev/null")
    }

    /// Captions -> (count, 512) embeddings. A caption in the tagged form
    /// (`word/POS ...`, as datasets ship them) is used as is; free text goes
    /// through the CaptionTagger first.
    public func embed(texts: [String]) throws -> [Float] {
        try embed(taggedCaptions: texts.map { TaggedCaption.isTagged($0) ? $0 : CaptionTagger.tagged($0) })
    }

    /// Tagged captions (`word/POS ...`) -> (count, 512) embeddings.
    public func embed(taggedCaptions: [String]) throws -> [Float] {
        guard let vectorizer else {
            throw MotionError.parse("\(folder.path) has no word vectors (words.txt, word_vectors.npy); texts cannot be embedded")
        }
        let captions = try taggedCaptions.map { try TaggedCaption(tagged: $0, maxLength: evaluator.config.maxTextLength) }
        return try evaluator.embed(captions: captions, vectorizer: vectorizer)
    }
}
