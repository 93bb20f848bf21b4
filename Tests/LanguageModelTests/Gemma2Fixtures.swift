import Foundation

/// Tests/LanguageModelTests/Fixtures/gemma2, made by Scripts/reference/make_gemma2_fixtures.py.
enum Gemma2Fixtures {
    static func url(_ path: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/gemma2/\(path)", withExtension: nil)!
    }

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(path)))
    }
}
