/// R-precision and MM-Dist (Guo et al.'s text-motion matching): texts and
/// motions are split into consecutive batches (the last partial batch is
/// dropped); within a batch each text ranks the batch's motions by distance,
/// and top-k counts whether its own motion is among the first k.
public struct MatchingScores: Sendable, Equatable {
    /// Fractions of texts whose motion ranks within the first 1, 2, 3.
    public var rPrecision: [Double]
    /// The mean distance between each text and its own motion.
    public var mmDist: Double
    /// Texts scored (whole batches only).
    public var samples: Int

    public static let topK = 3

    public init(texts: EmbeddingMatrix, motions: EmbeddingMatrix, batchSize: Int = 32) throws {
        guard texts.rows == motions.rows else {
            throw MetricError.invalid("R-precision needs one motion per text: \(texts.rows) texts, \(motions.rows) motions")
        }
        guard batchSize > 0, texts.rows >= batchSize else {
            throw MetricError.invalid("R-precision needs at least one whole batch of \(batchSize); got \(texts.rows) rows")
        }
        var hits = [Int](repeating: 0, count: Self.topK)
        var matchedDistance = 0.0
        let batches = texts.rows / batchSize
        for batch in 0..<batches {
            let range = batch * batchSize ..< (batch + 1) * batchSize
            let distances = euclideanDistanceMatrix(texts.rows(range), motions.rows(range))
            for i in 0..<batchSize {
                let row = distances[i * batchSize ..< (i + 1) * batchSize]
                let rank = Self.stableRank(of: i, in: row)
                for k in 0..<Self.topK where rank <= k { hits[k] += 1 }
                matchedDistance += row[row.startIndex + i]
            }
        }
        let samples = batches * batchSize
        self.samples = samples
        rPrecision = hits.map { Double($0) / Double(samples) }
        mmDist = matchedDistance / Double(samples)
    }

    /// Where column `index` lands when the row is sorted ascending, ties kept in
    /// column order (a stable argsort).
    static func stableRank(of index: Int, in row: ArraySlice<Double>) -> Int {
        let own = row[row.startIndex + index]
        var rank = 0
        for (j, value) in row.enumerated() where value < own || (value == own && j < index) { rank += 1 }
        return rank
    }
}
