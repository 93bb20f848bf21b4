import Foundation
@testable import IRGMotion

/// Committed fixtures, and the full shared data when it is beside the checkout.
enum FixtureData {
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!
    }

    static func npy(_ name: String) throws -> NPYArray { try NPYArray.read(url(name)) }

    /// `../shared/data` next to the repository, or nil (tests then skip with a message).
    static let sharedData: URL? = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        let shared = dir.deletingLastPathComponent().appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
    }()
}
