import IRGProto
import IRGRPC

/// A request's LoopOptions with the proto's zero-means-default rules applied
/// and checked: bad values are INVALID_ARGUMENT naming the field.
public struct LoopSettings: Sendable {
    public enum Mode: String, Sendable { case explicit, native, bestOfN = "best_of_n" }

    public static let maxRoundsLimit = 20
    public static let candidatesLimit = 16

    public var mode: Mode
    /// Refinements at most (IRG's max-refine-round).
    public var maxRounds: Int
    public var candidates: Int
    /// Rounds without a better reward before stopping; nil = never.
    public var patience: Int?
    public var refineBest: Bool
    public var sampling: Irg_V1_SamplingParams
    /// The base of every call's seed.
    public var seed: UInt64
    /// Token limit of the model's assessments; nil = the sampling's, as every call.
    public var assessmentMaxNewTokens: UInt32?

    public init(_ options: Irg_V1_LoopOptions) throws {
        switch options.mode {
        case .explicit: mode = .explicit
        case .native: mode = .native
        case .bestOfN: mode = .bestOfN
        case .UNRECOGNIZED(let n): throw RPCError(.invalidArgument, "options.mode: unknown loop mode \(n)")
        }
        maxRounds = options.maxRounds == 0 ? 5 : Int(options.maxRounds)
        guard maxRounds <= Self.maxRoundsLimit else {
            throw RPCError(.invalidArgument, "options.max_rounds must be at most \(Self.maxRoundsLimit), got \(options.maxRounds)")
        }
        candidates = options.numCandidates == 0 ? 4 : Int(options.numCandidates)
        guard candidates <= Self.candidatesLimit else {
            throw RPCError(.invalidArgument, "options.num_candidates must be at most \(Self.candidatesLimit), got \(options.numCandidates)")
        }
        let rounds = options.hasPatience ? Int(options.patience.rounds) : 2
        patience = rounds == 0 ? nil : rounds
        refineBest = options.refineBest
        sampling = options.sampling
        seed = options.sampling.seed == 0 ? UInt64.random(in: 1...UInt64.max) : options.sampling.seed
        assessmentMaxNewTokens = options.assessmentMaxNewTokens == 0 ? nil : options.assessmentMaxNewTokens
    }

    /// The sampling of one call: the request's, with the call's own seed.
    public func sampling(round: Int, candidate: Int = 0) -> Irg_V1_SamplingParams {
        var s = sampling
        s.seed = LoopSeeds.seed(base: seed, round: round, candidate: candidate)
        return s
    }

    /// The sampling of the model's assessment of a round: its token limit, when set, replaces the sampling's.
    public func assessmentSampling(round: Int, candidate: Int = 0) -> Irg_V1_SamplingParams {
        var s = sampling(round: round, candidate: candidate)
        if let assessmentMaxNewTokens { s.maxNewTokens = assessmentMaxNewTokens }
        return s
    }

    /// The options as stored with the session: the seed made concrete, so a resumed loop repeats it.
    public func stored(_ options: Irg_V1_LoopOptions) -> Irg_V1_LoopOptions {
        var o = options
        o.sampling.seed = seed
        return o
    }
}
