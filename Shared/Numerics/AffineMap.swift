import COpenBLAS

/// x -> W x + b in double precision, for composing consecutive linear layers
/// into one before inference: Linear layers with nothing between them are a
/// single affine map, and computing it once saves the inner layer's work.
public struct AffineMap: Sendable {
    public let inFeatures: Int
    public let outFeatures: Int
    /// (out, in), row-major.
    public let weight: [Double]
    public let bias: [Double]

    /// From PyTorch's Linear layout: weight (out, in), bias (out).
    public init(inFeatures: Int, outFeatures: Int, weight: [Float], bias: [Float]) {
        precondition(weight.count == inFeatures * outFeatures && bias.count == outFeatures, "affine map shape")
        self.init(inFeatures: inFeatures, outFeatures: outFeatures, weight: weight.map(Double.init), bias: bias.map(Double.init))
    }

    init(inFeatures: Int, outFeatures: Int, weight: [Double], bias: [Double]) {
        (self.inFeatures, self.outFeatures, self.weight, self.bias) = (inFeatures, outFeatures, weight, bias)
    }

    /// self(inner(x)) = (W W_inner) x + (W b_inner + b).
    public func after(_ inner: AffineMap) -> AffineMap {
        precondition(inner.outFeatures == inFeatures, "composing a map of \(inFeatures) inputs after one of \(inner.outFeatures) outputs")
        var weight = [Double](repeating: 0, count: outFeatures * inner.inFeatures)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outFeatures), Int32(inner.inFeatures), Int32(inFeatures),
                    1, self.weight, Int32(inFeatures), inner.weight, Int32(inner.inFeatures), 0, &weight, Int32(inner.inFeatures))
        var bias = self.bias
        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(outFeatures), Int32(inFeatures), 1, self.weight, Int32(inFeatures),
                    inner.bias, 1, 1, &bias, 1)
        return AffineMap(inFeatures: inner.inFeatures, outFeatures: outFeatures, weight: weight, bias: bias)
    }

    public var floatWeight: [Float] { weight.map(Float.init) }
    public var floatBias: [Float] { bias.map(Float.init) }
}
