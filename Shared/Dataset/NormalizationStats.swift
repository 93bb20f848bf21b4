/// Mean and std of features, with HumanML3D's std averaged within each group.
enum NormalizationStats {
    /// Groups of the 263 dims: root rot velocity, root linear velocity, root y,
    /// ric, rot 6D, local velocity, foot contacts.
    static let humanML3DGroups = [0..<1, 1..<3, 3..<4, 4..<67, 67..<193, 193..<259, 259..<263]

    /// From per-motion sums, sums of squares and frame counts (population std, as np.std).
    static func humanML3D(_ parts: [([Double], [Double], Int)]) -> ([Float], [Float]) {
        guard let dim = parts.first?.0.count else { return ([], []) }
        var sum = [Double](repeating: 0, count: dim), squares = sum
        var n = 0.0
        for (s, q, frames) in parts {
            for d in 0..<dim { sum[d] += s[d]; squares[d] += q[d] }
            n += Double(frames)
        }
        let mean = sum.map { $0 / n }
        var std = (0..<dim).map { max(0, squares[$0] / n - mean[$0] * mean[$0]).squareRoot() }
        for group in humanML3DGroups where group.upperBound <= dim {
            let average = std[group].reduce(0, +) / Double(group.count)
            for d in group { std[d] = average }
        }
        return (mean.map(Float.init), std.map(Float.init))
    }
}
