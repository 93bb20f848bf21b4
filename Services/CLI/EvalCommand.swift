import ArgumentParser
import Foundation
import IRGMetrics
import IRGModels
import IRGMotion

/// `irg eval ...`: the benchmark metrics from the command line, computed
/// locally by the same library the evaluator service uses.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Text-to-motion benchmark metrics, captioning metrics, motion quality.",
        subcommands: [EvalRunCommand.self, EvalMetricsCommand.self, EvalCaptionsCommand.self, EvalQualityCommand.self])
}

struct EvalMetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "R-precision and MM-Dist (texts vs motions, consecutive batches, last partial batch dropped), FID (ground truth vs motions), Diversity (motions).")

    @Option(help: "Text embeddings .npy (N, D); row i describes motion row i.")
    var text: String

    @Option(help: "Motion embeddings .npy (N, D).")
    var motion: String

    @Option(help: "Ground-truth motion embeddings .npy (M, D); without it there is no FID.")
    var gt: String?

    @Option(help: "Seed of Diversity's random pairs (NumPy's legacy np.random.seed stream), 0 ..< 2^32.")
    var seed: UInt32 = 0

    @Option(help: "R-precision batch size.")
    var batchSize: Int = 32

    @Option(help: "Diversity's number of random pairs.")
    var diversityPairs: Int = 300

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let texts = try motionStep(text) { try embeddingFile(text) }
        let motions = try motionStep(motion) { try embeddingFile(motion) }
        let groundTruth = try gt.map { path in try motionStep(path) { try embeddingFile(path) } }
        let metrics = try motionStep(motion) {
            try EmbeddingMetrics(texts: texts, motions: motions, groundTruth: groundTruth, seed: seed,
                                 batchSize: batchSize, diversityPairs: diversityPairs)
        }
        if let note = metrics.diversityNote { FileHandle.standardError.write(Data("note: \(note); diversity is null\n".utf8)) }
        let fields: [(String, Any?)] = [
            ("r_precision", metrics.rPrecision), ("mm_dist", metrics.mmDist), ("fid", metrics.fid), ("diversity", metrics.diversity),
        ]
        printFields(fields, json: json)
    }
}

struct EvalCaptionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "captions",
        abstract: "BLEU@1/@4 (corpus), ROUGE-L and CIDEr-D (means) as pycocoevalcap, line i of the predictions against refs[i]; BERTScore with a supplied model.")

    @Option(help: "Predicted captions, one per line.")
    var pred: String

    @Option(help: "JSON list of reference lists, one list per prediction line.")
    var refs: String

    @Option(help: "BERT-family HF folder (config.json, model.safetensors, WordPiece tokenizer.json): adds bertscore_f1/precision/recall.")
    var bertscoreModel: String?

    @Option(help: "Layer whose hidden states BERTScore compares (default: bert_score's for the model's shape).")
    var bertscoreLayers: Int?

    @Flag(help: "BERTScore without idf weights.")
    var bertscoreWithoutIdf = false

    @Option(help: "bert_score's LAYER,P,R,F baseline file: rescale BERTScore.")
    var bertscoreBaseline: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard bertscoreModel != nil || (bertscoreLayers == nil && bertscoreBaseline == nil && !bertscoreWithoutIdf) else {
            throw ValidationError("the --bertscore-* options need --bertscore-model DIR")
        }
    }

    func run() throws {
        let predictions = try motionStep(pred) { try CaptionFiles.predictions(URL(fileURLWithPath: pred)) }
        let references = try motionStep(refs) { try CaptionFiles.references(URL(fileURLWithPath: refs)) }
        let metrics = try motionStep(pred) { try CaptionMetrics(predictions: predictions, references: references) }
        var fields: [(String, Any?)] = [("bleu1", metrics.bleu1), ("bleu4", metrics.bleu4), ("rouge_l", metrics.rougeL), ("cider", metrics.cider)]
        if let bertscoreModel {
            let bert = try motionStep(bertscoreModel) {
                try BERTScorer(folder: URL(fileURLWithPath: bertscoreModel), layers: bertscoreLayers)
                    .score(predictions: predictions, references: references, idf: !bertscoreWithoutIdf,
                           baselineFile: bertscoreBaseline.map { URL(fileURLWithPath: $0) })
            }
            fields += [("bertscore_f1", bert.meanF1), ("bertscore_precision", bert.meanPrecision), ("bertscore_recall", bert.meanRecall)]
        }
        printFields(fields, json: json)
    }
}

struct EvalQualityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "MBench motion quality of joints (T, 22, 3), metres, Y up, 20 fps; converted to MBench's Z up as (-x, z, y), floor at height 0.")

    @Argument(help: "Joint positions .npy, float32 or float64.")
    var input: String

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let quality = try motionStep(input) { () throws -> MotionQuality in
            let array = try NPYArray.read(URL(fileURLWithPath: input))
            guard array.shape.count == 3, array.shape[2] == 3 else {
                throw MetricError.invalid("joints must be (T, 22, 3); got shape \(array.shape)")
            }
            return try MotionQuality(ZUpJoints(yUp: array.floats(), frames: array.shape[0], joints: array.shape[1]))
        }
        printFields([("jitter", quality.jitter), ("dynamic", quality.dynamic), ("foot_sliding", quality.footSliding),
                     ("ground_penetration", quality.groundPenetration), ("foot_floating", quality.footFloating)], json: json)
    }
}

/// An (N, D) float32 or float64 .npy as embeddings.
func embeddingFile(_ path: String) throws -> EmbeddingMatrix {
    let array = try NPYArray.read(URL(fileURLWithPath: path))
    guard array.shape.count == 2, array.dtype == .float32 || array.dtype == .float64 else {
        throw MetricError.invalid("embeddings must be a 2-D float32 or float64 array (N, D); got \(array.dtype.rawValue) \(array.shape)")
    }
    let values = array.doubles()
    guard values.allSatisfy(\.isFinite) else { throw MetricError.invalid("embeddings contain NaN or infinite values") }
    return EmbeddingMatrix(rows: array.shape[0], dim: array.shape[1], values: values)
}

/// Prints named results as one JSON object (nil as null) or as aligned lines.
func printFields(_ fields: [(String, Any?)], json: Bool) {
    if json {
        let body = fields.map { name, value in "\"\(name)\": \(jsonValue(value))" }.joined(separator: ", ")
        print("{\(body)}")
    } else {
        let width = fields.map(\.0.count).max() ?? 0
        for (name, value) in fields {
            print(name.padding(toLength: width, withPad: " ", startingAt: 0), value.map { "\($0)" } ?? "n/a")
        }
    }
}

private func jsonValue(_ value: Any?) -> String {
    switch value {
    case let number as Double: return number.isFinite ? "\(number)" : "null"
    case let numbers as [Double]: return "[" + numbers.map { jsonValue($0) }.joined(separator: ", ") + "]"
    default: return "null"
    }
}
