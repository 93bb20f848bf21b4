import Foundation
import IRGModels

/// BERTScore models loaded by an evaluator, kept by (folder, layers): a
/// large model takes seconds to load and callers score again and again.
final class BERTScorers: @unchecked Sendable {
    private var loaded: [String: BERTScorer] = [:]
    private let lock = NSLock()

    func scorer(folder: String, layers: Int?) throws -> BERTScorer {
        let key = "\(layers ?? -1) \(folder)"
        lock.lock()
        defer { lock.unlock() }
        if let hit = loaded[key] { return hit }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw BERTError.invalid("BERTScore model '\(folder)' is not a folder on the evaluator's machine")
        }
        let scorer = try BERTScorer(folder: URL(fileURLWithPath: folder), layers: layers)
        loaded[key] = scorer
        return scorer
    }
}
