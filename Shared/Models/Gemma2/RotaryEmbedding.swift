import Foundation

/// RoPE, rotate-half form: the first and second halves of each head are the
/// pair rotated by angle position * theta^(-2i/d). Angles are float32
/// products as in transformers (inv_freq and position both float32).
struct RotaryEmbedding: Sendable {
    let headDim: Int
    let inverseFrequencies: [Float]

    init(headDim: Int, theta: Double) {
        self.headDim = headDim
        inverseFrequencies = (0 ..< headDim / 2).map { i in 1 / powf(Float(theta), Float(2 * i) / Float(headDim)) }
    }

    /// The cosines and sines of a batch's rows, computed once per forward pass
    /// and shared by every layer's queries and keys.
    func rotations(at positions: [Int]) -> Rotations {
        let half = headDim / 2
        var cosines = [Float](repeating: 0, count: positions.count * half), sines = cosines
        for (row, position) in positions.enumerated() {
            for i in 0..<half {
                let angle = Float(position) * inverseFrequencies[i]
                (cosines[row * half + i], sines[row * half + i]) = (cosf(angle), sinf(angle))
            }
        }
        return Rotations(headDim: headDim, cosines: cosines, sines: sines)
    }
}

/// Per batch row, the RoPE cosines and sines (headDim / 2 each).
struct Rotations: Sendable {
    let headDim: Int
    let cosines: [Float], sines: [Float]

    /// Rotates `heads` consecutive heads of batch row `row` (at `x`) in place.
    func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, row: Int) {
        let half = headDim / 2
        for h in 0..<heads {
            let head = x + h * headDim
            for i in 0..<half {
                let (c, s) = (cosines[row * half + i], sines[row * half + i])
                let (a, b) = (head[i], head[i + half])
                head[i] = a * c - b * s
                head[i + half] = b * c + a * s
            }
        }
    }
}
