import Foundation
import IRGMotion

/// GloVe vectors and part-of-speech one-hots for tagged words, as the
/// evaluator's WordVectorizer: a known word gets its vector and the one-hot of
/// its VIP list if it is in one (the lists override the tagger), else of its
/// tag (unknown tags become OTHER); an unknown word gets `unk`'s vector and OTHER.
public struct WordVectorizer: Sendable {
    public static let partsOfSpeech = ["VERB", "NOUN", "DET", "ADP", "NUM", "AUX", "PRON", "ADJ", "ADV",
                                       "Loc_VIP", "Body_VIP", "Obj_VIP", "Act_VIP", "Desc_VIP", "OTHER"]

    /// The word lists that override a word's tag, checked in this order.
    public static let vipLists: [(tag: String, words: Set<String>)] = [
        ("Loc_VIP", ["left", "right", "clockwise", "counterclockwise", "anticlockwise", "forward", "back", "backward",
                     "up", "down", "straight", "curve"]),
        ("Body_VIP", ["arm", "chin", "foot", "feet", "face", "hand", "mouth", "leg", "waist", "eye", "knee", "shoulder", "thigh"]),
        ("Obj_VIP", ["stair", "dumbbell", "chair", "window", "floor", "car", "ball", "handrail", "baseball", "basketball"]),
        ("Act_VIP", ["walk", "run", "swing", "pick", "bring", "kick", "put", "squat", "throw", "hop", "dance", "jump", "turn",
                     "stumble", "stop", "sit", "lift", "lower", "raise", "wash", "stand", "kneel", "stroll",
                     "rub", "bend", "balance", "flap", "jog", "shuffle", "lean", "rotate", "spin", "spread", "climb"]),
        ("Desc_VIP", ["slowly", "carefully", "fast", "careful", "slow", "quickly", "happy", "angry", "sad", "happily",
                      "angrily", "sadly"]),
    ]

    public let dim: Int
    let vectors: [Float]
    let rows: [String: Int]

    public init(words: [String], vectors: [Float]) throws {
        guard !words.isEmpty, vectors.count % words.count == 0 else {
            throw MotionError.badShape("word vectors: \(vectors.count) values for \(words.count) words")
        }
        dim = vectors.count / words.count
        self.vectors = vectors
        rows = Dictionary(words.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        guard rows["unk"] != nil else { throw MotionError.badShape("word vectors have no 'unk' entry") }
    }

    /// `words.txt` (one word per line; line i is row i) and `word_vectors.npy` (V, dim).
    public init(folder: URL) throws {
        let words = try String(contentsOf: folder.appendingPathComponent("words.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let array = try NPYArray.read(folder.appendingPathComponent("word_vectors.npy"))
        let count = words.last == "" ? words.count - 1 : words.count
        guard array.shape.count == 2, array.shape[0] == count else {
            throw MotionError.badShape("word_vectors.npy is \(array.shape); words.txt has \(count) words")
        }
        try self.init(words: Array(words.prefix(count)), vectors: array.floats())
    }

    /// The word vector and the part-of-speech index for one `word/POS` token.
    public func vector(word: String, tag: String) -> (vector: ArraySlice<Float>, partOfSpeech: Int) {
        guard let row = rows[word] else { return (vectorRow(rows["unk"]!), Self.index("OTHER")) }
        let tag = Self.vipLists.first { $0.words.contains(word) }?.tag ?? tag
        return (vectorRow(row), Self.index(tag))
    }

    private func vectorRow(_ row: Int) -> ArraySlice<Float> { vectors[row * dim ..< (row + 1) * dim] }

    static func index(_ tag: String) -> Int {
        partsOfSpeech.firstIndex(of: tag) ?? partsOfSpeech.count - 1
    }
}
