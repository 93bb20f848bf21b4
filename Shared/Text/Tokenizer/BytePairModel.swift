/// The BPE model of a tokenizer.json: a vocabulary of byte strings, merges by
/// rank, byte fallback and the unknown token, as HF `tokenizers` applies them
/// to one piece of normalized text.
public struct BytePairModel: Sendable {
    /// Token bytes -> id.
    let vocabulary: [[UInt8]: Int]
    /// (left id, right id) -> (rank, id of the merged token).
    let merges: [Pair: Merge]
    let unknown: Int?
    let fuseUnknown: Bool
    let byteFallback: Bool
    /// Whole pieces found in the vocabulary are taken as they are, before any merge.
    let ignoreMerges: Bool
    /// id of <0xXX> for each byte, when the vocabulary has it.
    let byteTokens: [Int?]

    struct Pair: Hashable { let left: Int32, right: Int32 }
    struct Merge { let rank: Int32, merged: Int32 }

    init(vocabulary: [[UInt8]: Int], merges: [([UInt8], [UInt8])], unknown: [UInt8]?, fuseUnknown: Bool,
         byteFallback: Bool, ignoreMerges: Bool) throws {
        self.vocabulary = vocabulary
        var table: [Pair: Merge] = [:]
        table.reserveCapacity(merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            guard let l = vocabulary[left], let r = vocabulary[right], let m = vocabulary[left + right] else {
                throw TokenizerError.invalid("merge \(rank) (\(String(decoding: left, as: UTF8.self)) \(String(decoding: right, as: UTF8.self))) names a token missing from the vocabulary")
            }
            // A repeated merge keeps its last rank, as `tokenizers` collects them into a map.
            table[Pair(left: Int32(l), right: Int32(r))] = Merge(rank: Int32(rank), merged: Int32(m))
        }
        self.merges = table
        if let unknown {
            guard let id = vocabulary[unknown] else { throw TokenizerError.invalid("unk_token is not in the vocabulary") }
            self.unknown = id
        } else {
            self.unknown = nil
        }
        self.fuseUnknown = fuseUnknown
        self.byteFallback = byteFallback
        self.ignoreMerges = ignoreMerges
        self.byteTokens = (0..<256).map { b in vocabulary[Array("<0x\(hexByte(UInt8(b)))>".utf8)] }
    }

    /// The ids of one piece of normalized text.
    func tokenize(_ piece: ArraySlice<UInt8>) throws -> [Int] {
        if ignoreMerges, let id = vocabulary[Array(piece)] { return [id] }
        var symbols = try initialSymbols(piece)
        mergeAll(&symbols)
        return symbols.compactMap { $0.removed ? nil : Int($0.id) }
    }

    /// One symbol per character (Unicode scalar); a character outside the
    /// vocabulary becomes its bytes' <0xXX> tokens, else the unknown token
    /// (consecutive unknowns fused into one when asked).
    private func initialSymbols(_ piece: ArraySlice<UInt8>) throws -> [Symbol] {
        var symbols: [Symbol] = []
        var i = piece.startIndex
        while i < piece.endIndex {
            let length = utf8Length(piece[i])
            let character = piece[i ..< min(i + length, piece.endIndex)]
            i += character.count
            if let id = vocabulary[Array(character)] {
                symbols.append(Symbol(id: Int32(id)))
                continue
            }
            if byteFallback, case let ids = character.map({ byteTokens[Int($0)] }), ids.allSatisfy({ $0 != nil }) {
                symbols += ids.map { Symbol(id: Int32($0!)) }
                continue
            }
            guard let unknown else {
                throw TokenizerError.invalid("'\(String(decoding: character, as: UTF8.self))' is not in the vocabulary and the tokenizer has no unk_token")
            }
            if fuseUnknown, let last = symbols.last, last.id == unknown, last.wasUnknown { continue }
            symbols.append(Symbol(id: Int32(unknown), wasUnknown: true))
        }
        for k in symbols.indices {
            symbols[k].previous = k - 1
            symbols[k].next = k + 1 < symbols.count ? k + 1 : -1
        }
        return symbols
    }

    /// Applies merges lowest rank first (leftmost first among equal ranks),
    /// as `tokenizers`' Word::merge_all does with its priority queue.
    private func mergeAll(_ symbols: inout [Symbol]) {
        var queue = MergeQueue()
        for k in symbols.indices.dropLast() { enqueue(k, symbols, &queue) }
        while let candidate = queue.pop() {
            let left = candidate.position
            guard !symbols[left].removed, symbols[left].next >= 0 else { continue }
            let right = symbols[left].next
            // Stale: either side changed since the pair was queued.
            guard symbols[left].id == candidate.left, symbols[right].id == candidate.right else { continue }
            symbols[left].id = candidate.merged
            symbols[left].wasUnknown = false
            symbols[left].next = symbols[right].next
            symbols[right].removed = true
            if symbols[right].next >= 0 { symbols[symbols[right].next].previous = left }
            if symbols[left].previous >= 0 { enqueue(symbols[left].previous, symbols, &queue) }
            enqueue(left, symbols, &queue)
        }
    }

    private func enqueue(_ left: Int, _ symbols: [Symbol], _ queue: inout MergeQueue) {
        let right = symbols[left].next
        guard right >= 0, let merge = merges[Pair(left: symbols[left].id, right: symbols[right].id)] else { return }
        queue.push(.init(rank: merge.rank, position: left, left: symbols[left].id, right: symbols[right].id,
                         merged: merge.merged))
    }
}

struct Symbol {
    var id: Int32
    var wasUnknown = false
    var previous = -1
    var next = -1
    var removed = false
}

/// A binary min-heap of merge candidates ordered by (rank, position).
struct MergeQueue {
    struct Candidate {
        let rank: Int32
        let position: Int
        let left: Int32, right: Int32, merged: Int32
        func before(_ other: Candidate) -> Bool { (rank, position) < (other.rank, other.position) }
    }

    private var heap: [Candidate] = []

    mutating func push(_ c: Candidate) {
        heap.append(c)
        var k = heap.count - 1
        while k > 0, heap[k].before(heap[(k - 1) / 2]) {
            heap.swapAt(k, (k - 1) / 2)
            k = (k - 1) / 2
        }
    }

    mutating func pop() -> Candidate? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if heap.isEmpty { return top }
        heap[0] = last
        var k = 0
        while true {
            let (l, r) = (2 * k + 1, 2 * k + 2)
            var best = k
            if l < heap.count, heap[l].before(heap[best]) { best = l }
            if r < heap.count, heap[r].before(heap[best]) { best = r }
            if best == k { break }
            heap.swapAt(k, best)
            k = best
        }
        return top
    }
}

/// Bytes in the UTF-8 sequence that starts with `lead` (1 for a stray continuation byte).
func utf8Length(_ lead: UInt8) -> Int {
    switch lead {
    case 0xF0...: return 4
    case 0xE0...: return 3
    case 0xC0...: return 2
    default: return 1
    }
}

func hexByte(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
}

public enum TokenizerError: Error, CustomStringConvertible {
    case invalid(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalid(let why): return "invalid tokenizer: \(why)"
        case .unsupported(let what): return "unsupported tokenizer.json feature: \(what)"
        }
    }
}
