import Foundation
import IRGMotion

/// A picture of each metric's values across repeats: one strip per metric,
/// the ground truth's repeats as blue dots above the model's red ones, each
/// row's mean as a tick, on an axis labelled with its range. It shows at a
/// glance whether the spread of repeats is small next to the gap between rows.
public enum RepeatPlot {
    static let metrics = [("R-precision top-1", "r_precision_top1"), ("R-precision top-3", "r_precision_top3"),
                          ("FID", "fid"), ("MM-Dist", "mm_dist"), ("Diversity", "diversity")]
    static let (width, stripHeight, left, right) = (720, 96, 24, 24)

    public static func png(_ report: EvaluationReport) -> [UInt8] {
        PNGWriter.png(canvas(report), palette: Palette.rgb)
    }

    static func canvas(_ report: EvaluationReport) -> Canvas {
        let shown = metrics + (report.model.multimodality == nil ? [] : [("MultiModality", "multimodality")])
        var canvas = Canvas(width: width, height: 40 + stripHeight * shown.count, fill: Palette.background)
        canvas.text("\(report.repeats) repeats: ground truth blue, model red", x: left, y: 12, scale: 2, Palette.text)
        for (k, (label, key)) in shown.enumerated() {
            strip(&canvas, top: 40 + k * stripHeight, label: label,
                  truth: report.groundTruth.perRepeat[key] ?? [], model: report.model.perRepeat[key] ?? [])
        }
        return canvas
    }

    private static func strip(_ canvas: inout Canvas, top: Int, label: String, truth: [Double], model: [Double]) {
        canvas.text(label, x: left, y: top, scale: 2, Palette.text)
        let all = truth + model
        guard let low = all.min(), let high = all.max() else {
            canvas.text("n/a", x: left + 260, y: top, scale: 2, Palette.floorEdge)
            return
        }
        let pad = max((high - low) * 0.08, abs(high) * 1e-3, 1e-9)
        let (from, to) = (low - pad, high + pad)
        let axisY = Double(top + 70)
        let x = { (v: Double) in Double(left) + (v - from) / (to - from) * Double(width - left - right) }
        canvas.line(Double(left), axisY, Double(width - right), axisY, thickness: 1, Palette.grid)
        for (values, y, color) in [(truth, axisY - 34, Palette.left), (model, axisY - 16, Palette.right)] where !values.isEmpty {
            for v in values { canvas.disc(x(v), y, radius: 3, color) }
            let mean = values.reduce(0, +) / Double(values.count)
            canvas.line(x(mean), y - 8, x(mean), y + 8, thickness: 2, Palette.spine)
        }
        canvas.text(String(format: "%.3f", from), x: left, y: Int(axisY) + 6, scale: 1, Palette.text)
        let end = String(format: "%.3f", to)
        canvas.text(end, x: width - right - 6 * end.count, y: Int(axisY) + 6, scale: 1, Palette.text)
    }
}
