import Foundation

/// A BVH file: a joint hierarchy and per-frame channel values.
public struct BVHFile: Sendable {
    public enum Channel: String, Sendable {
        case xPosition = "Xposition", yPosition = "Yposition", zPosition = "Zposition"
        case xRotation = "Xrotation", yRotation = "Yrotation", zRotation = "Zrotation"
    }

    public struct Joint: Sendable {
        public var name: String
        public var parent: Int          // -1 for a root
        public var offset: SIMD3<Double>
        public var channels: [Channel]
        /// End Sites have no name of their own and no channels.
        public var isEndSite: Bool
    }

    public var joints: [Joint]
    public var frameTime: Double
    /// frames x (sum of channel counts), in hierarchy order.
    public var frames: [[Double]]

    public var namedJoints: [Int] { joints.indices.filter { !joints[$0].isEndSite } }
}

extension BVHFile {
    public static func read(_ url: URL) throws -> BVHFile {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw MotionError.parse("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try parse(text)
    }

    public static func parse(_ text: String) throws -> BVHFile {
        var tokens = BVHTokens(text)
        guard tokens.next() == "HIERARCHY" else { throw MotionError.parse("not a BVH file: no HIERARCHY") }
        var joints: [Joint] = []
        var stack: [Int] = []
        parsing: while let token = tokens.next() {
            switch token {
            case "ROOT", "JOINT":
                guard let name = tokens.next() else { throw MotionError.parse("a \(token) without a name") }
                joints.append(Joint(name: name, parent: stack.last ?? -1, offset: .zero, channels: [], isEndSite: false))
            case "End":
                _ = tokens.next()  // "Site"
                guard let parent = stack.last else { throw MotionError.parse("End Site outside a joint") }
                joints.append(Joint(name: "\(joints[parent].name)_end", parent: parent, offset: .zero,
                                    channels: [], isEndSite: true))
            case "{":
                guard !joints.isEmpty else { throw MotionError.parse("'{' before any joint") }
                stack.append(joints.count - 1)
            case "}":
                guard stack.popLast() != nil else { throw MotionError.parse("unbalanced '}'") }
            case "OFFSET":
                guard let j = stack.last else { throw MotionError.parse("OFFSET outside a joint") }
                joints[j].offset = SIMD3(try tokens.double(), try tokens.double(), try tokens.double())
            case "CHANNELS":
                guard let j = stack.last else { throw MotionError.parse("CHANNELS outside a joint") }
                guard let n = CheckedSize.count(try tokens.double(), in: 0...6) else {
                    throw MotionError.parse("CHANNELS must be a count from 0 to 6")
                }
                joints[j].channels = try (0..<n).map { _ in
                    let name = tokens.next() ?? ""
                    guard let channel = Channel(rawValue: name) else { throw MotionError.parse("unknown channel '\(name)'") }
                    return channel
                }
            case "MOTION":
                break parsing
            default:
                throw MotionError.parse("unexpected '\(token)' in HIERARCHY")
            }
        }
        guard !joints.isEmpty, stack.isEmpty else { throw MotionError.parse("no complete joint hierarchy") }
        guard tokens.next() == "Frames:" else { throw MotionError.parse("no 'Frames:' after MOTION") }
        guard let count = CheckedSize.count(try tokens.double(), in: 0...10_000_000) else {
            throw MotionError.parse("'Frames:' must be a whole number of frames")
        }
        guard tokens.next() == "Frame", tokens.next() == "Time:" else { throw MotionError.parse("no 'Frame Time:'") }
        let frameTime = try tokens.double()
        guard frameTime > 0 else { throw MotionError.parse("Frame Time must be positive") }
        let width = joints.reduce(0) { $0 + $1.channels.count }
        let frames = try (0..<count).map { k in
            try (0..<width).map { _ in
                do { return try tokens.double() } catch {
                    throw MotionError.parse("frame \(k) has fewer than \(width) values")
                }
            }
        }
        guard count > 0 else { throw MotionError.parse("the clip has no frames") }
        return BVHFile(joints: joints, frameTime: frameTime, frames: frames)
    }
}

/// Whitespace-separated tokens of a BVH file.
struct BVHTokens {
    private var iterator: [Substring].Iterator

    init(_ text: String) {
        iterator = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).makeIterator()
    }

    mutating func next() -> String? { iterator.next().map(String.init) }

    mutating func double() throws -> Double {
        guard let token = iterator.next() else { throw MotionError.parse("file ends early") }
        guard let value = Double(token), value.isFinite else { throw MotionError.parse("'\(token)' is not a number") }
        return value
    }
}
