import Foundation
import IRGMotion
import IRGProto
import IRGRPC
import IRGText

/// Every decoder of bytes that users and peers hand the suite, as one
/// libFuzzer target each (IRG_FUZZ_TARGET names it). A target must never
/// crash: malformed input is an error, thrown and dropped here. What decodes
/// is used further (converted, re-encoded), as the services would use it.
enum FuzzTargets {
    static let all: [String: @Sendable (Data) -> Void] = [
        "envelope": envelope,
        "messages": messages,
        "proto-json": protoJSON,
        "npy": { data in _ = try? NPYArray.decode(Array(data)).floats() },
        "npz": { data in _ = try? NPZ.decode(Array(data)).mapValues { $0.floats() } },
        "bvh": { data in _ = try? BVHFile.parse(String(decoding: data, as: UTF8.self)) },
        "asf": { data in _ = try? ASFSkeleton.parse(String(decoding: data, as: UTF8.self)) },
        "amc": { data in _ = try? AMCMotion.parse(String(decoding: data, as: UTF8.self)) },
        "safetensors": { data in _ = try? SafeTensorsCheckpoint(bytes: data, name: "fuzz.safetensors").tensors.values.map(\.count) },
        "tokenizer-json": tokenizerJSON,
    ]

    /// The RPC envelope, as the server and client read it off the socket.
    static func envelope(_ data: Data) {
        guard let envelope = EnvelopeCodec.decode(data) else { return }
        _ = EnvelopeCodec.encode(envelope)  // a reply re-encodes what was read
    }

    static let descriptors = ProtoRegistry.messages.keys.sorted().map { ProtoRegistry.messages[$0]! }

    /// Any message of the API: the first byte picks its type, the rest is its wire bytes.
    static func messages(_ data: Data) {
        guard let first = data.first else { return }
        let descriptor = descriptors[Int(first) % descriptors.count]
        guard let message = try? ProtoCodec.decode(data.dropFirst(), as: descriptor) else { return }
        _ = try? ProtoCodec.encode(message)
        _ = ProtoJSON.encode(message)
    }

    /// proto3 JSON of any message (irg call --json, the Python client): the first byte picks the type.
    static func protoJSON(_ data: Data) {
        guard let first = data.first else { return }
        let descriptor = descriptors[Int(first) % descriptors.count]
        guard let message = try? ProtoJSON.decode(String(decoding: data.dropFirst(), as: UTF8.self), as: descriptor) else { return }
        _ = try? ProtoCodec.encode(message)
    }

    /// A tokenizer.json (HF tokenizers): parsed, built as BPE or WordPiece, then used.
    static func tokenizerJSON(_ data: Data) {
        guard let json = try? RawJSON.parse(Array(data)) else { return }
        if let bpe = try? BPETokenizer(json: json) { _ = try? bpe.encode("a person walks forward <motion_id_1> é") }
        if let wordPiece = try? WordPieceTokenizer(json: json) { _ = wordPiece.encode("a person walks forward") }
    }
}
