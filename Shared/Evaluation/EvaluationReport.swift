import IRGMetrics

/// One row of the text-to-motion table over repeats: each metric's mean and
/// 95% interval (`1.96 * std / sqrt(repeats)`), and every repeat's value for plots.
public struct EvaluationRow: Codable, Sendable, Equatable {
    public var rPrecisionTop1: RepeatedMetric
    public var rPrecisionTop2: RepeatedMetric
    public var rPrecisionTop3: RepeatedMetric
    public var mmDist: RepeatedMetric
    /// For the ground-truth row, against a second draw of ground-truth crops.
    public var fid: RepeatedMetric?
    public var diversity: RepeatedMetric?
    /// Only for a model row of a run that asked for it.
    public var multimodality: RepeatedMetric?
    public var perRepeat: [String: [Double]]

    init(_ repeats: [EmbeddingMetrics], multimodality: [Double] = []) {
        let series = { (value: (EmbeddingMetrics) -> Double?) in repeats.compactMap(value) }
        perRepeat = [
            "r_precision_top1": series { $0.rPrecision[0] }, "r_precision_top2": series { $0.rPrecision[1] },
            "r_precision_top3": series { $0.rPrecision[2] }, "mm_dist": series(\.mmDist),
            "fid": series(\.fid), "diversity": series(\.diversity), "multimodality": multimodality,
        ].filter { !$0.value.isEmpty }
        rPrecisionTop1 = RepeatedMetric(perRepeat["r_precision_top1"]!)
        rPrecisionTop2 = RepeatedMetric(perRepeat["r_precision_top2"]!)
        rPrecisionTop3 = RepeatedMetric(perRepeat["r_precision_top3"]!)
        mmDist = RepeatedMetric(perRepeat["mm_dist"]!)
        fid = perRepeat["fid"].map(RepeatedMetric.init)
        diversity = perRepeat["diversity"].map(RepeatedMetric.init)
        self.multimodality = perRepeat["multimodality"].map(RepeatedMetric.init)
    }
}

/// The result of an evaluation: the ground-truth row next to the model's.
public struct EvaluationReport: Codable, Sendable, Equatable {
    public var groundTruth: EvaluationRow
    public var model: EvaluationRow
    public var samples: Int
    public var repeats: Int
    public var seed: UInt32

    /// The table papers print: metric, ground truth, model, each as mean ± interval.
    public var markdown: String {
        let cell = { (m: RepeatedMetric?) in m.map { String(format: "%.3f ± %.3f", $0.mean, $0.ci95) } ?? "–" }
        let withMM = model.multimodality != nil
        var lines = ["| | R-precision top-1 | top-2 | top-3 | FID | MM-Dist | Diversity |" + (withMM ? " MultiModality |" : ""),
                     "|---|---|---|---|---|---|---|" + (withMM ? "---|" : "")]
        for (name, row) in [("Ground truth", groundTruth), ("Model", model)] {
            lines.append("| \(name) | \(cell(row.rPrecisionTop1)) | \(cell(row.rPrecisionTop2)) | \(cell(row.rPrecisionTop3)) | "
                         + "\(cell(row.fid)) | \(cell(row.mmDist)) | \(cell(row.diversity)) |" + (withMM ? " \(cell(row.multimodality)) |" : ""))
        }
        lines.append("")
        lines.append("\(samples) samples per repeat, \(repeats) repeats (seed \(seed)); ± is 1.96 std / sqrt(repeats).")
        return lines.joined(separator: "\n") + "\n"
    }
}
