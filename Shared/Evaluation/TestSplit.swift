import Foundation
import IRGMotion

/// One evaluation item, as HumanML3D's Text2MotionDatasetV2 makes them: a
/// motion and the captions that describe all of it.
public struct EvaluationItem: Sendable {
    public struct Caption: Sendable, Equatable {
        /// As written, for the model.
        public let text: String
        /// `word/POS ...`, for the evaluator.
        public let tagged: String
    }

    public let id: String
    public let motion: MotionFeatures
    public let captions: [Caption]
}

/// A split of a dataset in HumanML3D's layout (`<split>.txt`, `new_joint_vecs/`,
/// `texts/` with `caption#tokens#from#to` lines), filtered as the reference:
/// motions of min <= T < max frames; a caption with a time span makes an item of
/// its own (that span of the motion, if its length is in range); the motion's
/// whole-clip captions make its item.
public enum TestSplit {
    public static func load(_ dataset: URL, split: String = "test", minFrames: Int = 40, maxFrames: Int = 200,
                            fps: Double = 20) throws -> [EvaluationItem] {
        let listFile = dataset.appendingPathComponent("\(split).txt")
        guard let list = try? String(contentsOf: listFile, encoding: .utf8) else {
            throw MotionError.parse("\(listFile.path) is missing: the dataset needs HumanML3D's layout")
        }
        var items: [EvaluationItem] = []
        for id in list.split(whereSeparator: \.isNewline).map(String.init) where !id.isEmpty {
            let motion = try MotionFeatures(NPYArray.read(dataset.appendingPathComponent("new_joint_vecs/\(id).npy")), dim: 263)
            guard (minFrames..<maxFrames).contains(motion.frames) else { continue }
            let textFile = dataset.appendingPathComponent("texts/\(id).txt")
            var whole: [EvaluationItem.Caption] = []
            for (k, line) in try String(contentsOf: textFile, encoding: .utf8).split(whereSeparator: \.isNewline).enumerated() {
                let fields = line.split(separator: "#", omittingEmptySubsequences: false).map(String.init)
                guard fields.count >= 4 else { throw MotionError.parse("\(textFile.path): '\(line)' is not caption#tokens#from#to") }
                let (from, to) = (Double(fields[2]).flatMap { $0.isNaN ? 0 : $0 } ?? 0, Double(fields[3]).flatMap { $0.isNaN ? 0 : $0 } ?? 0)
                let caption = EvaluationItem.Caption(text: fields[0], tagged: fields[1])
                if from == 0 && to == 0 {
                    whole.append(caption)
                    continue
                }
                let span = Int(from * fps) ..< min(Int(to * fps), motion.frames)
                guard span.lowerBound < span.upperBound, (minFrames..<maxFrames).contains(span.count) else { continue }
                let part = MotionFeatures(frames: span.count, dim: 263,
                                          values: Array(motion.values[span.lowerBound * 263 ..< span.upperBound * 263]))
                items.append(EvaluationItem(id: "\(id)#\(k)", motion: part, captions: [caption]))
            }
            if !whole.isEmpty { items.append(EvaluationItem(id: id, motion: motion, captions: whole)) }
        }
        return items
    }
}
