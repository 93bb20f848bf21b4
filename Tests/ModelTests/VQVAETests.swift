import Foundation
@testable import IRGModels
import IRGMotion
import IRGNumerics
import IRGService
import Testing

/// The VQ-VAE against PyTorch (Scripts/reference/make_vq_fixtures.py): identical
/// codes, reconstructions within 1e-4 relative (to the largest magnitude).
@Suite struct VQVAETests {
    static let inputs = ["012314", "walk", "run", "byebye"]

    static func fixture(_ path: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/vq/\(path)", withExtension: nil)!
    }

    static func motionFixture(_ name: String) throws -> MotionFeatures {
        var dir = URL(fileURLWithPath: #filePath)
        dir.deleteLastPathComponent()
        let motion = dir.deletingLastPathComponent().appendingPathComponent("MotionTests/Fixtures")
        let file = name == "012314" ? "humanml3d/012314_vecs.npy" : "reference/dataset-1_\(["walk": "walk_normal_002", "run": "run_normal_001", "byebye": "byebye_angry_001"][name]!)_features.npy"
        return try MotionFeatures(NPYArray.read(motion.appendingPathComponent(file)), dim: 263)
    }

    func check(_ encode: ([MotionFeatures]) throws -> [[Int32]], _ decode: ([[Int32]]) throws -> [MotionFeatures],
               folder: String) throws {
        let motions = try Self.inputs.map(Self.motionFixture)
        // The whole batch at once: motions of different lengths share each matrix product.
        let codes = try encode(motions)
        let recon = try decode(codes)
        var report: [String] = []
        for (i, name) in Self.inputs.enumerated() {
            let want = try NPYArray.read(Self.fixture("\(folder)/\(name)_codes.npy")).int64s().map(Int32.init)
            #expect(codes[i] == want, "\(folder) \(name): codes differ")
            let expected = try NPYArray.read(Self.fixture("\(folder)/\(name)_recon.npy")).floats()
            let scale = expected.map(abs).max()!
            let error = zip(recon[i].values, expected).map { abs($0 - $1) }.max()! / scale
            report.append("\(name) \(codes[i].count) codes, recon rel \(error)")
            #expect(recon[i].values.count == expected.count)
            #expect(error <= 1e-4, "\(folder) \(name): reconstruction relative error \(error)")
        }
        print("vq \(folder): " + report.joined(separator: "; "))
    }

    /// Model work runs on ComputeQueue, as services run it: a seconds-long
    /// synchronous test on the cooperative pool would starve the in-process
    /// servers of the other tests.
    @Test func defaultConfigMatchesPyTorch() async throws {
        try await ComputeQueue.run { try Self.defaultConfig() }
    }

    static func defaultConfig() throws {
        var weights = DeterministicWeights(seed: 7)
        weights.overrides["vqvae.quantizer.codebook"] = try NPYArray.read(Self.fixture("default/codebook.npy")).floats()
        let model = try VQVAE(weights)
        let norm = try Normalization(mean: try Self.npy("mean"), std: try Self.npy("std"))
        try VQVAETests().check({ try model.encode($0.map { try norm.normalize($0).values }) },
                  { try model.decode($0).map { try norm.denormalize(MotionFeatures(frames: $0.count / 263, dim: 263, values: $0)) } },
                  folder: "default")
    }

    static func npy(_ which: String) throws -> [Float] {
        try NPYArray.read(fixture("small_f32/\(which).npy")).floats()
    }

    @Test(arguments: ["small_f32", "small_bf16"])
    func convertedCheckpointMatchesPyTorch(folder: String) async throws {
        try await ComputeQueue.run {
            let checkpoint = try VQVAECheckpoint(Self.fixture(folder))
            #expect(checkpoint.model.config.width == 48 && checkpoint.model.config.nbCode == 64)
            try VQVAETests().check(checkpoint.encode, checkpoint.decode, folder: folder)
        }
    }

    @Test func badInputIsAClearError() throws {
        let checkpoint = try VQVAECheckpoint(Self.fixture("small_f32"))
        #expect(throws: MotionError.badShape("code 64 is outside [0, 64)")) { try checkpoint.decode([[1, 64]]) }
        #expect(throws: MotionError.tooShort("an empty code sequence")) { try checkpoint.decode([[]]) }
        #expect(throws: MotionError.self) {
            try checkpoint.encode([MotionFeatures(frames: 3, dim: 263, values: .init(repeating: 0, count: 789))])
        }
        #expect(throws: MotionError.self) {
            try checkpoint.encode([MotionFeatures(frames: 8, dim: 251, values: .init(repeating: 0, count: 8 * 251))])
        }
    }
}

/// Both Conv1d implementations against the definition, on several sequences at once.
@Suite struct Conv1dTests {
    static let implementations: [Conv1d.Implementation] = Conv1d.Implementation.preferred == .directKernel
        ? [.directKernel, .openBLAS] : [.openBLAS]

    /// Dilation 9 on a 7-step sequence reads past it on both sides; with a
    /// margin of padding + 1 the stride-2 cases start every sequence in step
    /// (OpenBLAS: one product for the batch), with padding + 0 they do not
    /// (one per sequence). Kernel-3 same-length shapes take Winograd on the direct kernel.
    @Test(arguments: [(3, 1, 1, 1), (4, 2, 1, 1), (3, 1, 9, 9), (1, 1, 0, 1), (4, 2, 2, 1), (3, 1, 3, 3), (4, 1, 1, 1), (5, 1, 2, 1)],
          implementations.flatMap { i in [(i, 0), (i, 1)] })
    func matchesTheDefinition(shape: (kernel: Int, stride: Int, padding: Int, dilation: Int),
                              variant: (implementation: Conv1d.Implementation, extraMargin: Int)) {
        let (kernel, stride, padding, dilation) = shape
        let (implementation, extraMargin) = variant
        var random = SeededRandom(seed: 3)
        func values(_ n: Int) -> [Float] { (0..<n).map { _ in Float(Int(random.next() % 2001) - 1000) / 1000 } }
        let (cin, cout) = (5, 4)
        let weight = values(cout * cin * kernel), bias = values(cout)
        let conv = Conv1d(inChannels: cin, outChannels: cout, kernel: kernel, stride: stride, padding: padding,
                          dilation: dilation, weight: weight, bias: bias, implementation: implementation)
        let lengths = [23, 7, 16]
        let inputs = lengths.map { values(cin * $0) }
        let x = Sequences(timeMajor: inputs, channels: cin, margin: padding + extraMargin)
        let residual = Sequences(timeMajor: lengths.map { values(cout * conv.outputLength($0)) }, channels: cout, margin: x.margin)
        let plain = conv(x).timeMajor(), fused = conv(x, residual: residual, reluOutput: true).timeMajor()
        let extra = residual.timeMajor()
        for (s, rows) in inputs.enumerated() {
            let length = lengths[s], outLength = conv.outputLength(length)
            #expect(plain[s].count == outLength * cout)
            for t in 0..<outLength {
                for o in 0..<cout {
                    var sum = Double(bias[o])
                    for c in 0..<cin {
                        for j in 0..<kernel {
                            let i = t * stride + j * dilation - padding
                            if i >= 0 && i < length { sum += Double(weight[(o * cin + c) * kernel + j]) * Double(rows[i * cin + c]) }
                        }
                    }
                    #expect(abs(Double(plain[s][t * cout + o]) - sum) < 1e-5)
                    #expect(abs(Double(fused[s][t * cout + o]) - max(0, sum + Double(extra[s][t * cout + o]))) < 1e-5)
                }
            }
        }
    }

    /// A batch big enough that Winograd runs in per-thread chunks, with 263
    /// output channels (a partial last panel), against the OpenBLAS path.
    @Test func directKernelMatchesOpenBLASOnALargeBatch() throws {
        try #require(Conv1d.Implementation.preferred == .directKernel, "no AVX-512 here: the direct kernel is not used")
        var random = SeededRandom(seed: 5)
        func values(_ n: Int) -> [Float] { (0..<n).map { _ in Float(Int(random.next() % 2001) - 1000) / 1000 } }
        let (cin, cout) = (16, 263)
        let weight = values(cout * cin * 3), bias = values(cout)
        let lengths = (0..<24).map { 40 + $0 * 7 }
        let x = Sequences(timeMajor: lengths.map { values(cin * $0) }, channels: cin, margin: 4)
        for dilation in [1, 3] {
            let direct = Conv1d(inChannels: cin, outChannels: cout, kernel: 3, padding: dilation, dilation: dilation,
                                weight: weight, bias: bias, implementation: .directKernel)
            let blas = Conv1d(inChannels: cin, outChannels: cout, kernel: 3, padding: dilation, dilation: dilation,
                              weight: weight, bias: bias, implementation: .openBLAS)
            let a = direct(x, reluOutput: true), b = blas(x, reluOutput: true)
            #expect(zip(a.data, b.data).map { abs($0 - $1) }.max()! < 1e-4)
        }
    }

    @Test func marginsStayZero() {
        let conv = Conv1d(inChannels: 2, outChannels: 3, kernel: 3, padding: 1, weight: .init(repeating: 1, count: 18),
                          bias: [1, 2, 3])
        let x = Sequences(timeMajor: [[1, 2, 3, 4], [5, 6]], channels: 2, margin: 2)
        let y = conv(x).upsampledNearest(by: 2).relu()
        for r in 0..<y.rows where !zip(y.starts, y.lengths).contains(where: { r >= $0 && r < $0 + $1 }) {
            #expect(y.data[(r * 3)..<(r * 3 + 3)].allSatisfy { $0 == 0 }, "row \(r) is a margin")
        }
    }
}
