/// torch.nn.LayerNorm over the last dimension of a row-major batch.
public struct LayerNorm: Sendable {
    public let width: Int
    let weight: [Float]
    let bias: [Float]
    let eps: Double

    public init(weight: [Float], bias: [Float], eps: Double = 1e-5) {
        precondition(weight.count == bias.count, "layer norm weight and bias differ in size")
        width = weight.count
        self.weight = weight
        self.bias = bias
        self.eps = eps
    }

    public func callAsFunction(_ x: [Float]) -> [Float] {
        precondition(x.count % width == 0, "layer norm expects rows of \(width)")
        var y = x
        for start in stride(from: 0, to: x.count, by: width) {
            let row = x[start ..< start + width]
            let mean = row.reduce(0.0) { $0 + Double($1) } / Double(width)
            let variance = row.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(width)
            let scale = 1 / (variance + eps).squareRoot()
            for i in 0..<width {
                y[start + i] = Float((Double(row[start + i]) - mean) * scale) * weight[i] + bias[i]
            }
        }
        return y
    }
}

/// torch.nn.LeakyReLU(slope), in place.
public func leakyReLU(_ x: inout [Float], slope: Float = 0.2) {
    x.withUnsafeMutableBufferPointer { values in
        for i in values.indices where values[i] < 0 { values[i] *= slope }
    }
}
