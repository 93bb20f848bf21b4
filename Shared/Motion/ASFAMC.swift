import Foundation

/// An Acclaim skeleton (.asf), as CMU's mocap database ships it.
public struct ASFSkeleton: Sendable {
    public struct Bone: Sendable {
        public var name: String
        public var direction: SIMD3<Double>
        public var length: Double
        /// The bone's local frame C (from `axis`); motion turns as C M C^-1.
        public var axis: Rotation3
        /// Which rotations the AMC lists for this bone, in order ("rx", "ry", "rz").
        public var dofs: [String]
        public var parent: String = "root"
    }

    public var bones: [Bone]
    /// File length units per inch: lengths / lengthUnit * 0.0254 = metres.
    public var lengthUnit: Double
    public var degrees: Bool

    public var metresPerUnit: Double { 0.0254 / lengthUnit }

    public static func parse(_ text: String) throws -> ASFSkeleton {
        var bones: [Bone] = []
        var lengthUnit = 1.0, degrees = true
        var section = ""
        var current: Bone?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = words.first else { continue }
            if first.hasPrefix(":") {
                section = first
                continue
            }
            switch (section, first) {
            case (":units", "length"):
                lengthUnit = Double(words.dropFirst().first ?? "") ?? 1
            case (":units", "angle"):
                degrees = words.dropFirst().first != "rad"
            case (":bonedata", "begin"):
                current = Bone(name: "", direction: .zero, length: 0, axis: .identity, dofs: [])
            case (":bonedata", "end"):
                guard let bone = current, !bone.name.isEmpty else { throw MotionError.parse("ASF bone without a name") }
                bones.append(bone)
                current = nil
            case (":bonedata", "name"):
                current?.name = words.count > 1 ? words[1] : ""
            case (":bonedata", "direction"):
                current?.direction = try vector(words, "direction")
            case (":bonedata", "length"):
                current?.length = Double(words.count > 1 ? words[1] : "") ?? 0
            case (":bonedata", "axis"):
                let angles = try vector(words, "axis")
                current?.axis = eulerXYZ(angles, order: words.count > 4 ? words[4] : "XYZ", degrees: degrees)
            case (":bonedata", "dof"):
                current?.dofs = Array(words.dropFirst())
            case (":hierarchy", "begin"), (":hierarchy", "end"):
                break
            case (":hierarchy", _):
                for child in words.dropFirst() {
                    guard let i = bones.firstIndex(where: { $0.name == child }) else {
                        throw MotionError.parse("ASF hierarchy names unknown bone '\(child)'")
                    }
                    bones[i].parent = first
                }
            default:
                break
            }
        }
        guard !bones.isEmpty else { throw MotionError.parse("not an ASF file: no :bonedata") }
        // Children must come after parents for forward kinematics.
        var ordered: [Bone] = []
        var placed: Set<String> = ["root"]
        while ordered.count < bones.count {
            let ready = bones.filter { !placed.contains($0.name) && placed.contains($0.parent) }
            guard !ready.isEmpty else { throw MotionError.parse("ASF hierarchy is not a tree rooted at 'root'") }
            ordered += ready
            ready.forEach { placed.insert($0.name) }
        }
        return ASFSkeleton(bones: ordered, lengthUnit: lengthUnit, degrees: degrees)
    }

    private static func vector(_ words: [String], _ what: String) throws -> SIMD3<Double> {
        guard words.count >= 4, let x = Double(words[1]), let y = Double(words[2]), let z = Double(words[3]) else {
            throw MotionError.parse("ASF \(what) needs three numbers")
        }
        return SIMD3(x, y, z)
    }

    /// Acclaim's Euler convention: with order "XYZ", rotate about X, then Y,
    /// then Z in the fixed frame: R = Rz Ry Rx.
    static func eulerXYZ(_ angles: SIMD3<Double>, order: String = "XYZ", degrees: Bool) -> Rotation3 {
        let unit = degrees ? 1 : 180 / Double.pi
        var r = Rotation3.identity
        for axis in order.uppercased() {
            guard let i = "XYZ".firstIndex(of: axis).map({ "XYZ".distance(from: "XYZ".startIndex, to: $0) }) else { continue }
            r = .about(axis: i, degrees: angles[i] * unit) * r
        }
        return r
    }

    /// Root position and the end point of every bone for one AMC frame, in file units.
    func points(_ frame: [String: [Double]]) throws -> [String: SIMD3<Double>] {
        guard let root = frame["root"], root.count >= 6 else { throw MotionError.parse("AMC frame without 6 root values") }
        var position: [String: SIMD3<Double>] = ["root": SIMD3(root[0], root[1], root[2])]
        var rotation: [String: Rotation3] = ["root": ASFSkeleton.eulerXYZ(SIMD3(root[3], root[4], root[5]), degrees: degrees)]
        for bone in bones {
            var angles = SIMD3<Double>.zero
            for (dof, value) in zip(bone.dofs, frame[bone.name] ?? []) {
                switch dof {
                case "rx": angles.x = value
                case "ry": angles.y = value
                case "rz": angles.z = value
                default: break
                }
            }
            let local = bone.axis * ASFSkeleton.eulerXYZ(angles, degrees: degrees) * bone.axis.transposed
            let world = rotation[bone.parent]! * local
            rotation[bone.name] = world
            position[bone.name] = position[bone.parent]! + world * (bone.direction * bone.length)
        }
        return position
    }
}

/// AMC motion: one dictionary of bone -> values per frame.
public enum AMCMotion {
    public static func parse(_ text: String) throws -> [[String: [Double]]] {
        var frames: [[String: [Double]]] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let words = raw.split(whereSeparator: \.isWhitespace)
            guard let first = words.first, !first.hasPrefix("#"), !first.hasPrefix(":") else { continue }
            if words.count == 1, Int(first) != nil {
                frames.append([:])
                continue
            }
            guard !frames.isEmpty else { throw MotionError.parse("AMC values before the first frame number") }
            let values = try words.dropFirst().map { word -> Double in
                guard let v = Double(word), v.isFinite else { throw MotionError.parse("AMC value '\(word)' is not a number") }
                return v
            }
            frames[frames.count - 1][String(first)] = values
        }
        guard !frames.isEmpty else { throw MotionError.parse("not an AMC file: no frames") }
        return frames
    }
}

extension JointMapping {
    /// CMU's ASF skeleton: a name is the END of that bone ("root" is the root
    /// position), so a bone's start is its parent's name. Hips are the ends
    /// of the hip-joint bones, collars are halfway along the clavicles,
    /// shoulders the clavicle ends, neck the end of lowerneck, head the end
    /// of upperneck.
    public static let cmu = JointMapping(name: "cmu", sources: [
        .joint("root"), .joint("lhipjoint"), .joint("rhipjoint"), .joint("lowerback"), .joint("lfemur"),
        .joint("rfemur"), .joint("upperback"), .joint("ltibia"), .joint("rtibia"), .joint("thorax"),
        .joint("lfoot"), .joint("rfoot"), .joint("lowerneck"), .midpoint("thorax", "lclavicle"),
        .midpoint("thorax", "rclavicle"), .joint("upperneck"), .joint("lclavicle"), .joint("rclavicle"),
        .joint("lhumerus"), .joint("rhumerus"), .joint("lradius"), .joint("rradius"),
    ])
}

extension MotionImport {
    /// CMU ASF/AMC (120 fps) -> SMPL-22 joints in metres at `fps`.
    public static func amc(_ url: URL, asf: URL, amcFPS: Double = 120, fps: Double = 20) throws -> JointPositions {
        func read(_ url: URL) throws -> String {
            do { return try String(contentsOf: url, encoding: .utf8) } catch {
                throw MotionError.parse("cannot read \(url.path): \(error.localizedDescription)")
            }
        }
        let skeleton = try ASFSkeleton.parse(try read(asf))
        let frames = try AMCMotion.parse(try read(url))
        let names = Set(skeleton.bones.map(\.name) + ["root"])
        let missing = JointMapping.cmu.requiredNames.subtracting(names).sorted()
        guard missing.isEmpty else {
            throw MotionError.unknownJoint("the ASF lacks \(missing.joined(separator: ", ")) for the CMU mapping")
        }
        let scale = skeleton.metresPerUnit
        let world = try frames.map { frame in
            JointMapping.cmu.apply(try skeleton.points(frame).mapValues { $0 * scale })
        }
        return resample(world, frameTime: 1 / amcFPS, fps: fps)
    }
}
