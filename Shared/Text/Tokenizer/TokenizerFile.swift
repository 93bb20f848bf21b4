import Foundation

/// Reading HF `tokenizer.json` files, whatever their model.
enum TokenizerFile {
    /// The parsed file: `url` is the file or the folder holding `tokenizer.json`.
    static func json(at url: URL) throws -> RawJSON {
        let file = url.hasDirectoryPath || url.pathExtension != "json" ? url.appendingPathComponent("tokenizer.json") : url
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw TokenizerError.invalid("cannot read \(file.path)")
        }
        return try RawJSON.parse([UInt8](data))
    }

    /// The model's `vocab` object: token bytes -> id.
    static func vocabulary(_ members: [(key: [UInt8], value: RawJSON)]) throws -> [[UInt8]: Int] {
        var ids: [[UInt8]: Int] = [:]
        for (token, id) in members {
            guard let id = id.tokenID else { throw TokenizerError.invalid("vocabulary id of a token is not an integer from 0 to 2^31-1") }
            ids[token] = id
        }
        return ids
    }
}
