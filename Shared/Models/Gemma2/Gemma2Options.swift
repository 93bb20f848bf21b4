import Foundation
import IRGMotion

/// Settings recorded next to the weights (`irg_options.json`) that config.json
/// cannot express. `attention_softcap: false` runs the model as transformers
/// 4.44's default SDPA path did, skipping the attention softcap
/// (Motion-Agent's checkpoints were trained that way); without the file the
/// softcap follows `attn_logit_softcapping` in config.json.
public struct Gemma2Options: Sendable, Equatable {
    public var attentionSoftcap: Bool?

    public static let fileName = "irg_options.json"

    public init(attentionSoftcap: Bool? = nil) { self.attentionSoftcap = attentionSoftcap }

    public init(folder: URL) throws {
        let file = folder.appendingPathComponent(Self.fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { self.init(); return }
        guard let json = try? JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] else {
            throw MotionError.parse("\(file.path) is not a JSON object")
        }
        let known: Set<String> = ["attention_softcap", "note"]
        if let unknown = json.keys.first(where: { !known.contains($0) }) {
            throw MotionError.parse("\(file.path): unknown option \(unknown)")
        }
        self.init(attentionSoftcap: json["attention_softcap"] as? Bool)
    }
}
