import Foundation
import IRGService

/// Model work in these tests runs on a ComputeQueue thread, as the services
/// run it, so that the cooperative pool stays free for the socket tests that
/// run beside them; expectations stay on the test's own task.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await ComputeQueue.run(body)
}

/// Tests/LanguageModelTests/Fixtures/gemma2, made by Scripts/reference/make_gemma2_fixtures.py.
enum Gemma2Fixtures {
    static func url(_ path: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/gemma2/\(path)", withExtension: nil)!
    }

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(path)))
    }
}
