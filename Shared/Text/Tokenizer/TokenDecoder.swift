/// tokenizer.json's decoder: turns token strings back into text. Gemma's is
/// Replace("▁" -> " "), ByteFallback (runs of <0xXX> become their UTF-8
/// text, or U+FFFD per byte when invalid), Fuse.
indirect enum TokenDecoder: Sendable {
    case replace(pattern: [UInt8], content: [UInt8])
    case byteFallback
    case fuse
    case strip(content: [UInt8], start: Int, stop: Int)
    case sequence([TokenDecoder])

    init?(json: RawJSON) throws {
        guard !json.isNull else { return nil }
        switch json["type"]?.text {
        case "Replace":
            let (pattern, content) = try literalReplacement(json, in: "decoder")
            self = .replace(pattern: pattern, content: content)
        case "ByteFallback": self = .byteFallback
        case "Fuse": self = .fuse
        case "Strip":
            self = .strip(content: json["content"]?.bytes ?? [0x20], start: max(0, json["start"]?.int ?? 0), stop: max(0, json["stop"]?.int ?? 0))
        case "Sequence":
            self = .sequence(try (json["decoders"]?.array ?? []).compactMap { try TokenDecoder(json: $0) })
        case let other:
            throw TokenizerError.unsupported("decoder \(other ?? "without a type")")
        }
    }

    func decode(_ tokens: [[UInt8]]) -> [[UInt8]] {
        switch self {
        case .replace(let pattern, let content): return tokens.map { replacing(pattern, with: content, in: $0) }
        case .fuse: return [tokens.flatMap { $0 }]
        case .sequence(let steps): return steps.reduce(tokens) { $1.decode($0) }
        case .strip(let content, let start, let stop): return tokens.map { strip($0, content, start, stop) }
        case .byteFallback: return byteFallback(tokens)
        }
    }

    private func byteFallback(_ tokens: [[UInt8]]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var pending: [UInt8] = []
        func flush() {
            guard !pending.isEmpty else { return }
            if let text = String(validating: pending, as: UTF8.self) {
                out.append(Array(text.utf8))
            } else {
                out += Array(repeating: Array("\u{FFFD}".utf8), count: pending.count)
            }
            pending = []
        }
        for token in tokens {
            if let byte = fallbackByte(token) {
                pending.append(byte)
            } else {
                flush()
                out.append(token)
            }
        }
        flush()
        return out
    }

    /// The byte of a `<0xXX>` token.
    private func fallbackByte(_ token: [UInt8]) -> UInt8? {
        guard token.count == 6, token.starts(with: Array("<0x".utf8)), token[5] == UInt8(ascii: ">") else { return nil }
        return UInt8(String(decoding: token[3..<5], as: UTF8.self), radix: 16)
    }

    /// Up to `start` leading and `stop` trailing characters equal to `content` removed.
    private func strip(_ token: [UInt8], _ content: [UInt8], _ start: Int, _ stop: Int) -> [UInt8] {
        var slice = token[...]
        for _ in 0..<start where slice.starts(with: content) { slice = slice.dropFirst(content.count) }
        for _ in 0..<stop where slice.reversed().starts(with: content.reversed()) { slice = slice.dropLast(content.count) }
        return Array(slice)
    }
}
