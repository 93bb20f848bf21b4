import Foundation
import IRGMotion

/// How a continuation is chosen: greedy, sampling (temperature, then top-k,
/// then top-p, as transformers orders its warpers) or beam search.
public struct SamplingSettings: Sendable, Equatable {
    public var greedy = false
    public var temperature: Float = 1
    /// 0: no top-k cut.
    public var topK = 0
    /// 1: no nucleus cut.
    public var topP: Float = 1
    /// nil: a fresh random seed.
    public var seed: UInt64?
    public var maxNewTokens = 256
    /// More than 1: beam search (deterministic; sampling settings ignored).
    public var beams = 1
    /// Generation stops once the text ends with one of these (kept in the output).
    public var stop: [String] = []

    public static let maxBeams = 16

    public init(greedy: Bool = false, temperature: Float = 1, topK: Int = 0, topP: Float = 1, seed: UInt64? = nil,
                maxNewTokens: Int = 256, beams: Int = 1, stop: [String] = []) {
        (self.greedy, self.temperature, self.topK, self.topP, self.seed) = (greedy, temperature, topK, topP, seed)
        (self.maxNewTokens, self.beams, self.stop) = (maxNewTokens, beams, stop)
    }

    /// A clear error for settings no decoder can follow.
    public func validate() throws {
        guard temperature.isFinite, temperature > 0 else { throw MotionError.parse("temperature must be a finite number > 0, got \(temperature)") }
        guard topP.isFinite, topP > 0, topP <= 1 else { throw MotionError.parse("top_p must be in (0, 1], got \(topP)") }
        guard topK >= 0 else { throw MotionError.parse("top_k must be >= 0, got \(topK)") }
        guard maxNewTokens > 0 else { throw MotionError.parse("max_new_tokens must be > 0") }
        guard (1...Self.maxBeams).contains(beams) else { throw MotionError.parse("num_beams must be in 1...\(Self.maxBeams), got \(beams)") }
        guard !stop.contains("") else { throw MotionError.parse("a stop string is empty") }
    }
}
