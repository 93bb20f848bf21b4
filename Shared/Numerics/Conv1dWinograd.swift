import CIRGKernels
import Foundation

/// Kernel-3 same-length convolutions by Winograd F(2, 3) (Lavin & Gray 2016,
/// in 1-D; formulas in irg_kernels.h): each tile's input rows are transformed
/// into four blocks V_i, the four 1x1 products M_i = V_i U_i^T run on the
/// direct kernel, and the output transform adds bias, residual and ReLU.
/// Tiles are (r, r + dilation) pairs inside each sequence, so rows between
/// sequences are never written.
///
/// Large batches go in chunks of tiles, each transformed, multiplied and
/// finished by one thread while its V and M stay in cache (the whole
/// batch's V and M outgrow the L3 cache and made the products memory-bound).
/// Small ones, with too few tiles to go round, share the products over the
/// threads by output channels instead (their transforms are a few hundred KB).
extension Conv1d {
    private static let chunkTiles = 128

    func winogradForward(_ x: Sequences, residual: Sequences?, relu: Bool, into y: inout Sequences) {
        let (tiles, limits) = winogradTiles(x)
        guard !tiles.isEmpty else { return }
        let chunked = tiles.count >= 2 * Self.chunkTiles * ComputeThreads.count
        x.data.withUnsafeBufferPointer { input in
            bias.withUnsafeBufferPointer { bias in
                residual.withData { residualRows in
                    y.data.withUnsafeMutableBufferPointer { output in
                        let io = WinogradIO(input: input.baseAddress!, inputRows: x.rows, tiles: tiles, limits: limits,
                                            bias: bias.baseAddress!, residual: residualRows,
                                            relu: relu, output: output.baseAddress!)
                        if chunked {
                            let chunks = (tiles.count + Self.chunkTiles - 1) / Self.chunkTiles
                            parallelRows(chunks) { chunk in
                                let begin = chunk * Self.chunkTiles
                                runTiles(io, begin: begin, count: min(tiles.count - begin, Self.chunkTiles), threads: 1)
                            }
                        } else {
                            runTiles(io, begin: 0, count: tiles.count, threads: ComputeThreads.count)
                        }
                    }
                }
            }
        }
    }

    private struct WinogradIO: @unchecked Sendable {
        let input: UnsafePointer<Float>, inputRows: Int
        let tiles: [Int32], limits: [Int32]
        let bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, relu: Bool
        let output: UnsafeMutablePointer<Float>
    }

    /// The first row r of every tile (r, r + d) and the end row of its sequence.
    private func winogradTiles(_ x: Sequences) -> (tiles: [Int32], limits: [Int32]) {
        var tiles: [Int32] = [], limits: [Int32] = []
        for (start, length) in zip(x.starts, x.lengths) {
            for first in Swift.stride(from: start, to: start + length, by: 2 * dilation) {
                for r in first..<min(first + dilation, start + length) {
                    tiles.append(Int32(r))
                    limits.append(Int32(start + length))
                }
            }
        }
        return (tiles, limits)
    }

    /// Transform, multiply and finish tiles [begin, begin + count), the products on `threads` threads.
    private func runTiles(_ io: WinogradIO, begin: Int, count: Int, threads: Int) {
        ScratchPool.shared.withBuffer(4 * count * (inChannels + outChannels)) { v in
            let m = v + 4 * count * inChannels
            io.tiles.withUnsafeBufferPointer { tiles in
                io.limits.withUnsafeBufferPointer { limits in
                    let tiles = tiles.baseAddress! + begin, limits = limits.baseAddress! + begin
                    irg_winograd_input(io.input, Int32(inChannels), Int32(io.inputRows), Int32(dilation), tiles, Int32(count), v)
                    products(of: v, tiles: count, into: m, threads: threads)
                    irg_winograd_output(m, Int32(outChannels), Int32(dilation), tiles, limits, Int32(count),
                                        io.bias, io.residual, io.relu ? 1 : 0, io.output)
                }
            }
        }
    }

    /// M_i = V_i U_i^T for the four blocks of `tiles` rows, as one job of four segments.
    private func products(of v: UnsafeMutablePointer<Float>, tiles p: Int, into m: UnsafeMutablePointer<Float>, threads: Int) {
        let segments = (0..<4).map { i in
            irg_conv1d_segment(first_read: Int32(i * p), out_row: Int32(i * p), rows: Int32(p), weight_set: Int32(i))
        }
        weight.withUnsafeBufferPointer { packed in
            segments.withUnsafeBufferPointer { segments in
                Self.run(irg_conv1d_job(
                    input: v, in_channels: Int32(inChannels), kernel: 1, stride: 1, dilation: 1, packed: packed.baseAddress,
                    weight_set_stride: irg_conv1d_packed_count(Int32(outChannels), Int32(inChannels), 1), bias: nil,
                    residual: nil, output: m, out_channels: Int32(outChannels), relu: 0,
                    segments: segments.baseAddress, segment_count: 4), threads: threads)
            }
        }
    }
}
