import Foundation

/// An absolute point in wall-clock time, in milliseconds since the Unix
/// epoch, as `Envelope.deadline_unix_ms` carries it between machines.
public struct Deadline: Sendable, Comparable {
    public let unixMilliseconds: Int64

    public init(unixMilliseconds: Int64) { self.unixMilliseconds = unixMilliseconds }

    public static func now() -> Deadline {
        Deadline(unixMilliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    public static func after(milliseconds: Int64) -> Deadline {
        Deadline(unixMilliseconds: now().unixMilliseconds + milliseconds)
    }

    /// Milliseconds left; negative once passed.
    public var remainingMilliseconds: Int64 { unixMilliseconds - Deadline.now().unixMilliseconds }
    public var hasPassed: Bool { remainingMilliseconds <= 0 }

    public static func < (a: Deadline, b: Deadline) -> Bool { a.unixMilliseconds < b.unixMilliseconds }
}
