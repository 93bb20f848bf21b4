/// The captioning table: BLEU@1..4 (corpus level), ROUGE-L and CIDEr-D (means
/// over captions), all as pycocoevalcap computes them, on captionTokens.
public struct CaptionMetrics: Sendable, Equatable {
    public var bleu: [Double]
    public var rougeL: Double
    public var cider: Double

    public var bleu1: Double { bleu[0] }
    public var bleu4: Double { bleu[3] }

    /// `references[i]` are the human captions of the motion `predictions[i]` describes.
    public init(predictions: [String], references: [[String]]) throws {
        guard !predictions.isEmpty else { throw MetricError.invalid("captioning metrics need at least one prediction") }
        guard predictions.count == references.count else {
            throw MetricError.invalid("\(predictions.count) predictions but \(references.count) reference lists; they pair up line by line")
        }
        if let empty = references.firstIndex(where: \.isEmpty) {
            throw MetricError.invalid("prediction \(empty) has no references")
        }
        let candidates = predictions.map(captionTokens)
        let refs = references.map { $0.map(captionTokens) }
        bleu = corpusBLEU(candidates: candidates, references: refs)
        rougeL = meanROUGEL(candidates: candidates, references: refs)
        cider = meanCIDErD(candidates: candidates, references: refs)
    }
}
