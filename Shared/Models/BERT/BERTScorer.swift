import Foundation
import IRGMetrics
import IRGText

/// BERTScore with a supplied model folder: each sentence stripped and
/// tokenised with `[CLS] ... [SEP]`, embedded by the model truncated to
/// `layers` layers, then matched as bert_score does (IRGMetrics.BERTScore).
///
/// `layers` defaults to bert_score's choice for the standard shapes
/// (BERT base 9, large 18; RoBERTa base 10, large 17); other models must say.
public struct BERTScorer: Sendable {
    public let encoder: BERTEncoder
    let tokenizer: WordPieceTokenizer
    public let layers: Int

    public init(folder: URL, layers: Int? = nil) throws {
        let config = try BERTConfig(folder: folder)
        guard let layers = layers ?? Self.defaultLayers(config) else {
            throw BERTError.invalid("no default BERTScore layer for a \(config.numHiddenLayers)-layer \(config.modelType) of width \(config.hiddenSize); give the layer count")
        }
        encoder = try BERTEncoder(folder: folder, layers: layers)
        tokenizer = try WordPieceTokenizer(contentsOf: folder)
        self.layers = layers
    }

    static func defaultLayers(_ config: BERTConfig) -> Int? {
        switch (config.modelType, config.numHiddenLayers, config.hiddenSize) {
        case ("bert", 12, 768): return 9
        case ("bert", 24, 1024): return 18
        case ("roberta", 12, 768): return 10
        case ("roberta", 24, 1024): return 17
        default: return nil
        }
    }

    /// bert_score's sent_encode: stripped text with the sequence markers.
    func ids(_ sentence: String) -> [Int] {
        tokenizer.encode(sentence.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// With bert_score's baseline file: its row for this scorer's layer rescales the scores.
    public func score(predictions: [String], references: [[String]], idf: Bool = true, baselineFile: URL?) throws -> BERTScore {
        let baseline = try baselineFile.map { try BERTScoreBaseline(file: $0, layer: layers) }
        return try score(predictions: predictions, references: references, idf: idf, baseline: baseline)
    }

    public func score(predictions: [String], references: [[String]], idf: Bool = true, baseline: BERTScoreBaseline? = nil) throws -> BERTScore {
        let markers = Set(ids(""))
        let weights = idf ? IDFWeights(references: references.flatMap { $0 }.map(ids), markers: markers) : IDFWeights(uniformExcept: markers)
        var cache: [String: TokenEmbeddings] = [:]
        func embedded(_ sentence: String) throws -> TokenEmbeddings {
            if let hit = cache[sentence] { return hit }
            let tokenIds = ids(sentence)
            let rows = try encoder.hiddenStates(tokenIds)
            let result = TokenEmbeddings(tokens: tokenIds.count, dim: encoder.config.hiddenSize, rows: rows, weights: tokenIds.map { weights($0) })
            cache[sentence] = result
            return result
        }
        return try BERTScore(candidates: predictions.map(embedded), references: references.map { try $0.map(embedded) }, baseline: baseline)
    }
}
