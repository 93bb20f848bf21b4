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

    /// Rotates `heads` consecutive heads of one row in place.
    func apply(_ row: UnsafeMutablePointer<Float>, heads: Int, position: Int) {
        let half = headDim / 2
        var cosines = [Float](repeating: 0, count: half), sines = cosines
        for i in 0..<half {
            let angle = Float(position) * inverseFrequencies[i]
            (cosines[i], sines[i]) = (cosf(angle), sinf(angle))
        }
        for h in 0..<heads {
            let x = row + h * headDim
            for i in 0..<half {
                let (a, b) = (x[i], x[i + half])
                x[i] = a * cosines[i] - b * sines[i]
                x[i + half] = b * cosines[i] + a * sines[i]
            }
        }
    }
}
