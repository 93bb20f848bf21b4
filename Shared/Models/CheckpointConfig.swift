import Foundation
import IRGMotion

/// A checkpoint folder's optional `config.json`: the model's defaults when the
/// file is absent, its settings (over the defaults) when present, and an error
/// naming the file when it does not parse.
func checkpointConfig<Config: Decodable>(in folder: URL, default defaults: Config, model: String) throws -> Config {
    let file = folder.appendingPathComponent("config.json")
    guard FileManager.default.fileExists(atPath: file.path) else { return defaults }
    do {
        return try JSONDecoder().decode(Config.self, from: Data(contentsOf: file))
    } catch {
        throw MotionError.parse("\(file.path) is not a valid \(model) config: \(error)")
    }
}
