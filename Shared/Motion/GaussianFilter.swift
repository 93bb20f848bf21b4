import Foundation

/// scipy.ndimage.gaussian_filter1d along time with mode 'nearest' (edge
/// values repeat) and truncate 4.0, in Double as scipy computes it.
enum GaussianFilter {
    static func weights(sigma: Double, truncate: Double = 4) -> [Double] {
        let radius = Int(truncate * sigma + 0.5)
        let raw = (0...radius).map { exp(-0.5 / (sigma * sigma) * Double($0 * $0)) }
        let total = raw[0] + 2 * raw.dropFirst().reduce(0, +)
        return raw.map { $0 / total }
    }

    /// Filters `signal[t]` for each t; `count` samples.
    static func smooth(_ signal: [Double], sigma: Double) -> [Double] {
        let w = weights(sigma: sigma)
        let n = signal.count
        return (0..<n).map { t in
            // scipy's symmetric-kernel loop: centre, then pairs at +-j.
            var sum = signal[t] * w[0]
            for j in 1..<w.count {
                sum += (signal[min(t + j, n - 1)] + signal[max(t - j, 0)]) * w[j]
            }
            return sum
        }
    }
}
