/// The text-to-motion table's embedding metrics for one evaluation: R-precision
/// and MM-Dist of texts against their motions, FID of the motions against
/// ground truth, Diversity of the motions.
public struct EmbeddingMetrics: Sendable, Equatable {
    public var rPrecision: [Double]
    public var mmDist: Double
    /// nil without ground-truth embeddings.
    public var fid: Double?
    /// nil when there are too few motions for the random pairs.
    public var diversity: Double?
    /// Why diversity is nil, for the caller to show.
    public var diversityNote: String?

    public init(texts: EmbeddingMatrix, motions: EmbeddingMatrix, groundTruth: EmbeddingMatrix?,
                seed: UInt32, batchSize: Int = 32, diversityPairs: Int = 300) throws {
        let matching = try MatchingScores(texts: texts, motions: motions, batchSize: batchSize)
        rPrecision = matching.rPrecision
        mmDist = matching.mmDist
        if let groundTruth {
            guard groundTruth.dim == motions.dim else {
                throw MetricError.invalid("ground truth has width \(groundTruth.dim), motions \(motions.dim)")
            }
            fid = try frechetDistance(GaussianStatistics(groundTruth), GaussianStatistics(motions))
        }
        do {
            diversity = try IRGMetrics.diversity(motions, pairs: diversityPairs, seed: seed)
        } catch let error as MetricError {
            diversityNote = error.description
        }
    }
}
