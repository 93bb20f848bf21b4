import COpenBLAS

/// torch.nn.Linear on a row-major batch: y = x W^T + b.
public struct Linear: Sendable {
    public let inFeatures: Int
    public let outFeatures: Int
    /// (out, in), PyTorch's layout.
    let weight: [Float]
    let bias: [Float]

    public init(inFeatures: Int, outFeatures: Int, weight: [Float], bias: [Float]) {
        precondition(weight.count == inFeatures * outFeatures && bias.count == outFeatures, "linear weight shape")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.weight = weight
        self.bias = bias
    }

    /// `x`: (rows, inFeatures) -> (rows, outFeatures).
    public func callAsFunction(_ x: [Float], rows: Int) -> [Float] {
        precondition(x.count == rows * inFeatures, "linear expects \(inFeatures) features per row")
        var y = [Float](unsafeUninitializedCapacity: rows * outFeatures) { buffer, initialized in
            for r in 0..<rows { (buffer.baseAddress! + r * outFeatures).initialize(from: bias, count: outFeatures) }
            initialized = rows * outFeatures
        }
        guard rows > 0 else { return y }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outFeatures), Int32(inFeatures),
                    1, x, Int32(inFeatures), weight, Int32(inFeatures), 1, &y, Int32(outFeatures))
        return y
    }
}
