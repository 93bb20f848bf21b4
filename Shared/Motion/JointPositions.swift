/// Joint positions of a motion: (frames, joints, 3), C order.
public struct JointPositions: Equatable, Sendable {
    public var frames: Int
    public var joints: Int
    public var values: [Float]

    public init(frames: Int, joints: Int, values: [Float]) {
        precondition(values.count == frames * joints * 3, "values do not fill (\(frames), \(joints), 3)")
        self.frames = frames
        self.joints = joints
        self.values = values
    }

    public init(frames: Int, joints: Int) {
        self.init(frames: frames, joints: joints, values: [Float](repeating: 0, count: frames * joints * 3))
    }

    public subscript(frame: Int, joint: Int) -> SIMD3<Float> {
        get {
            let i = (frame * joints + joint) * 3
            return SIMD3(values[i], values[i + 1], values[i + 2])
        }
        set {
            let i = (frame * joints + joint) * 3
            values[i] = newValue.x; values[i + 1] = newValue.y; values[i + 2] = newValue.z
        }
    }

    public var npy: NPYArray { NPYArray(shape: [frames, joints, 3], floats: values) }

    public init(_ array: NPYArray) throws {
        guard array.shape.count == 3, array.shape[2] == 3, array.shape[0] > 0 else {
            throw MotionError.badShape("joints must be (T, J, 3) with T > 0, got \(array.shape)")
        }
        let values = array.floats()
        guard values.allSatisfy(\.isFinite) else { throw MotionError.notFinite("joint positions") }
        self.init(frames: array.shape[0], joints: array.shape[1], values: values)
    }
}

/// Per-frame feature rows: (frames, dim).
public struct MotionFeatures: Equatable, Sendable {
    public var frames: Int
    public var dim: Int
    public var values: [Float]

    public init(frames: Int, dim: Int, values: [Float]) {
        precondition(values.count == frames * dim, "values do not fill (\(frames), \(dim))")
        self.frames = frames
        self.dim = dim
        self.values = values
    }

    public func row(_ t: Int) -> ArraySlice<Float> { values[t * dim..<(t + 1) * dim] }

    public var npy: NPYArray { NPYArray(shape: [frames, dim], floats: values) }

    public init(_ array: NPYArray, dim expected: Int? = nil) throws {
        guard array.shape.count == 2, array.shape[0] > 0 else {
            throw MotionError.badShape("features must be (T, D) with T > 0, got \(array.shape)")
        }
        if let expected, array.shape[1] != expected {
            throw MotionError.badShape("features must have \(expected) dims, got \(array.shape[1])")
        }
        let values = array.floats()
        guard values.allSatisfy(\.isFinite) else { throw MotionError.notFinite("features") }
        self.init(frames: array.shape[0], dim: array.shape[1], values: values)
    }
}

public enum MotionError: Error, CustomStringConvertible, Equatable {
    case badShape(String)
    case notFinite(String)
    case tooShort(String)
    case unknownJoint(String)
    case parse(String)

    public var description: String {
        switch self {
        case .badShape(let s): return "wrong shape: \(s)"
        case .notFinite(let s): return "\(s) contain NaN or infinity"
        case .tooShort(let s): return "too short: \(s)"
        case .unknownJoint(let s): return "joint missing: \(s)"
        case .parse(let s): return s
        }
    }
}
