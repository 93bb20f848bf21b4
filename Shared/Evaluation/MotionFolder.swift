import Foundation
import IRGMotion

/// A model's pre-generated motions: `<item id>.npy` features (T, 263), each
/// read once and kept, since every repeat asks for it again. One motion per
/// item: captions and seeds do not change it.
public final class MotionFolder: MotionSource, @unchecked Sendable {
    private let folder: URL
    private var cache: [String: MotionFeatures] = [:]
    private let lock = NSLock()

    public init(_ folder: URL) { self.folder = folder }

    public var samples: Bool { false }

    public func motions(_ requests: [MotionRequest]) throws -> [MotionFeatures] {
        try requests.map { try motion($0.item.id) }
    }

    public func motion(_ id: String) throws -> MotionFeatures {
        lock.lock()
        defer { lock.unlock() }
        if let motion = cache[id] { return motion }
        let file = folder.appendingPathComponent("\(id).npy")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw MotionError.parse("\(file.path) is missing: the motions folder needs one <id>.npy per test motion")
        }
        let motion = try MotionFeatures(NPYArray.read(file), dim: 263)
        cache[id] = motion
        return motion
    }
}
