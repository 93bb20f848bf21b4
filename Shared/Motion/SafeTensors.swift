import Foundation

/// One tensor of a safetensors file: its bytes stay in the memory-mapped file.
public struct SafeTensor: Sendable {
    public enum DType: String, Sendable {
        case f32 = "F32", f16 = "F16", bf16 = "BF16", i32 = "I32", i64 = "I64", i8 = "I8"

        var size: Int {
            switch self {
            case .i8: return 1
            case .f16, .bf16: return 2
            case .f32, .i32: return 4
            case .i64: return 8
            }
        }
    }

    public let dtype: DType
    public let shape: [Int]
    /// Little-endian element bytes (a slice of the mapped file: its indices
    /// need not start at 0, so read it through withUnsafeBytes).
    public let data: Data

    public var count: Int { shape.reduce(1, *) }

    public init(dtype: DType, shape: [Int], data: Data) {
        self.dtype = dtype
        self.shape = shape
        self.data = data
    }

    public init(shape: [Int], floats: [Float]) {
        self.init(dtype: .f32, shape: shape, data: floats.withUnsafeBytes { Data($0) })
    }

    /// Every element as Float (F16 and BF16 widened exactly).
    public func floats() -> [Float] {
        data.withUnsafeBytes { raw -> [Float] in
            switch dtype {
            case .f32:
                return (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            case .f16:
                return (0..<count).map { Float(Float16(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
            case .bf16:
                return (0..<count).map { Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)) << 16) }
            case .i32:
                return (0..<count).map { Float(raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
            case .i64:
                return (0..<count).map { Float(raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
            case .i8:
                return (0..<count).map { Float(raw.load(fromByteOffset: $0, as: Int8.self)) }
            }
        }
    }
}

/// Reads and writes the safetensors format: an 8-byte little-endian header
/// length, a JSON header of {name: {dtype, shape, data_offsets}} (plus an
/// optional "__metadata__" of strings), then the tensor bytes. Files are
/// memory-mapped; a folder with `model.safetensors.index.json` is read as
/// its shards.
public struct SafeTensorsCheckpoint: Sendable {
    public private(set) var tensors: [String: SafeTensor] = [:]
    public private(set) var metadata: [String: String] = [:]

    public init(tensors: [String: SafeTensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// A .safetensors file, or a folder holding `model.safetensors` or a sharded index.
    public init(_ url: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw MotionError.parse("no such file or folder: \(url.path)")
        }
        guard isFolder.boolValue else {
            try load(file: url)
            return
        }
        let index = url.appendingPathComponent("model.safetensors.index.json")
        if FileManager.default.fileExists(atPath: index.path) {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: index)) as? [String: Any]
            guard let map = json?["weight_map"] as? [String: String] else {
                throw MotionError.parse("\(index.path) has no weight_map")
            }
            for shard in Set(map.values).sorted() { try load(file: url.appendingPathComponent(shard)) }
            let missing = Set(map.keys).subtracting(tensors.keys).sorted()
            guard missing.isEmpty else { throw MotionError.parse("shards lack tensors listed in the index: \(missing.prefix(5))") }
        } else {
            try load(file: url.appendingPathComponent("model.safetensors"))
        }
    }

    private mutating func load(file url: URL) throws {
        try load(Data(contentsOf: url, options: .alwaysMapped), name: url.lastPathComponent)
    }

    /// One .safetensors file's bytes (`name` for the errors).
    public init(bytes data: Data, name: String) throws {
        try load(data, name: name)
    }

    private mutating func load(_ data: Data, name file: String) throws {
        guard data.count >= 8 else { throw MotionError.parse("\(file) is not safetensors (too short)") }
        // The header length is a little-endian u64; anything past the file's size is refused before any arithmetic.
        let declared = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard declared > 0, declared <= UInt64(data.count - 8),
              let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + Int(declared)))) as? [String: Any]
        else { throw MotionError.parse("\(file) has no valid safetensors header") }
        let headerLength = Int(declared)
        let body = 8 + headerLength
        for (name, value) in header {
            if name == "__metadata__" {
                for (k, v) in value as? [String: String] ?? [:] { metadata[k] = v }
                continue
            }
            guard let info = value as? [String: Any], let dtypeName = info["dtype"] as? String,
                  let shape = (info["shape"] as? [NSNumber])?.map(\.intValue),
                  let offsets = (info["data_offsets"] as? [NSNumber])?.map(\.intValue), offsets.count == 2
            else { throw MotionError.parse("\(file): bad header entry for \(name)") }
            guard let dtype = SafeTensor.DType(rawValue: dtypeName) else {
                throw MotionError.parse("\(name) has unsupported dtype \(dtypeName)")
            }
            guard offsets.allSatisfy({ (0...data.count).contains($0) }) else {
                throw MotionError.parse("\(name): data_offsets \(offsets) lie outside the file")
            }
            let (begin, end) = (body + offsets[0], body + offsets[1])
            guard begin <= end, end <= data.count,
                  let size = CheckedSize.bytes(shape: shape, elementSize: dtype.size), end - begin == size else {
                throw MotionError.parse("\(name): data_offsets do not match its shape \(shape) and dtype \(dtypeName)")
            }
            // A slice shares the mapping (subdata would copy every tensor into memory).
            tensors[name] = SafeTensor(dtype: dtype, shape: shape, data: data[begin..<end])
        }
    }

    /// The named tensor, checked against an expected shape; errors name it.
    public func tensor(_ name: String, shape expected: [Int]? = nil) throws -> SafeTensor {
        guard let t = tensors[name] else { throw MotionError.unknownJoint("tensor '\(name)' is not in the checkpoint") }
        if let expected, t.shape != expected {
            throw MotionError.badShape("tensor '\(name)' has shape \(t.shape), expected \(expected)")
        }
        return t
    }

    /// Writes one .safetensors file (tensors in name order, header padded to 8 bytes).
    public func write(_ url: URL) throws {
        var header: [String: Any] = [:]
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            header[name] = ["dtype": t.dtype.rawValue, "shape": t.shape, "data_offsets": [offset, offset + t.data.count]]
            offset += t.data.count
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var out = Data((0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) })
        out.append(json)
        for name in names { out.append(tensors[name]!.data) }
        try out.write(to: url, options: .atomic)
    }
}
