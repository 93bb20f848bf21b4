import Foundation
import IRGProto
import IRGRPC

/// IRG-MotionLLM's interleaved generate-assess-refine loop as remote calls
/// (docs/loop.md): EXPLICIT (Generate, then per round the generator's Assess
/// and the assessor's reward, concurrently, then Refine), NATIVE (one
/// Interleave, its rounds rewarded) and BEST_OF_N (n Generates in parallel,
/// rewarded, optionally refined). `onRound` receives the whole trace each time
/// a round finishes (the session write), so a crash loses at most the round
/// in flight, and `run(resuming:)` continues from such a trace.
public struct MotionLoop: Sendable {
    public let text: String
    public let settings: LoopSettings
    public let services: Downstream
    public let onRound: @Sendable ([Irg_V1_Round]) async throws -> Void

    public init(text: String, settings: LoopSettings, services: Downstream,
                onRound: @escaping @Sendable ([Irg_V1_Round]) async throws -> Void) {
        (self.text, self.settings, self.services, self.onRound) = (text, settings, services, onRound)
    }

    public struct Outcome: Sendable {
        public var rounds: [Irg_V1_Round]
        public var stopReason: String
        /// Native mode: the transcript's last round with a motion (the one IRG takes).
        public var finalRound: Int?

        /// The round with the highest reward among those with a motion; ties go to the earlier.
        public var best: Int? {
            rounds.indices.filter { !rounds[$0].codes.codes.isEmpty }
                .max { rounds[$0].reward < rounds[$1].reward || (rounds[$0].reward == rounds[$1].reward && $0 > $1) }
        }
    }

    public func run(resuming stored: [Irg_V1_Round] = []) async throws -> Outcome {
        switch settings.mode {
        case .explicit:
            var rounds = stored
            if rounds.isEmpty {
                let first = try await generated(index: 0, candidate: 0)
                rounds.append(first)
                if !first.error.isEmpty { return try await stop(rounds, "error") }
            }
            return try await refine(rounds, chainStart: 0, current: rounds.count - 1)
        case .native:
            return try await native()
        case .bestOfN:
            var rounds = stored
            if rounds.count < settings.candidates { rounds = try await candidates() }
            let outcome = Outcome(rounds: rounds, stopReason: "single")
            guard settings.refineBest, let best = outcome.best else {
                return try await stop(rounds, outcome.best == nil ? "error" : "single")
            }
            let current = rounds.count > settings.candidates ? rounds.count - 1 : best
            return try await refine(rounds, chainStart: settings.candidates, current: current, chainHead: best)
        }
    }

    // MARK: explicit refinement

    /// Rewards and assesses `current`, stops or refines it, and repeats. The
    /// chain is `chainHead` (the round refining started from) and the rounds
    /// from `chainStart` on; refinements are counted and the plateau judged in it.
    private func refine(_ trace: [Irg_V1_Round], chainStart: Int, current start: Int, chainHead: Int? = nil) async throws -> Outcome {
        var rounds = trace
        var current = start
        while true {
            let chain = [chainHead].compactMap { $0 } + Array(chainStart..<rounds.count).filter { $0 != chainHead }
            let refinements = chain.count - 1
            rounds[current] = try await judged(rounds[current], assess: refinements < settings.maxRounds)
            try await onRound(rounds)
            if rounds[current].satisfied { return Outcome(rounds: rounds, stopReason: "satisfied") }
            if refinements >= settings.maxRounds { return Outcome(rounds: rounds, stopReason: "max_rounds") }
            let bestInChain = chain.max { rounds[$0].reward < rounds[$1].reward || (rounds[$0].reward == rounds[$1].reward && $0 > $1) }!
            if let patience = settings.patience,
               chain.firstIndex(of: current)! - chain.firstIndex(of: bestInChain)! >= patience {
                return Outcome(rounds: rounds, stopReason: "plateau")
            }
            // A model may answer its assessment with no instruction; refining on nothing is
            // refused by the generator, so the loop stops here, keeping the round and its motion.
            guard !rounds[current].instruction.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                rounds[current].error = "the model's assessment gave no refinement instruction"
                return try await stop(rounds, "error")
            }
            let next = try await refined(rounds[current], index: rounds.count)
            rounds.append(next)
            current = rounds.count - 1
            if !next.error.isEmpty { return try await stop(rounds, "error") }
        }
    }

    /// The round's reward (the assessor) and, when another refinement may
    /// follow, the model's assessment (the generator), concurrently.
    private func judged(_ round: Irg_V1_Round, assess: Bool) async throws -> Irg_V1_Round {
        var round = round
        let start = ContinuousClock.now
        let callsBefore = round.calls.count  // a resumed round that needs no call keeps its time
        let codes = round.codes
        let rewarded = round.hasTerms  // a resumed round keeps its reward
        async let reward = rewarded ? nil : services.call(services.assessor, Irg_V1_MotionAssessor.assess, .with {
            $0.text = text
            $0.codes = codes
        })
        if assess && round.instruction.isEmpty {
            let (reply, timing) = try await services.call(services.generator, Irg_V1_MotionGenerator.assess, .with {
                $0.text = text
                $0.motion = codes
                $0.options.sampling = settings.assessmentSampling(round: Int(round.index), candidate: Int(round.candidate))
            })
            round.assessment = reply.assessment
            round.instruction = reply.instruction
            round.satisfied = reply.satisfied
            round.calls.append(timing)
        }
        if let (terms, timing) = try await reward {
            round.terms = terms
            round.reward = terms.reward
            round.quality = terms.quality
            round.calls.append(timing)
        }
        if round.calls.count > callsBefore { round.elapsedMs += (ContinuousClock.now - start).milliseconds }
        return round
    }

    private func refined(_ round: Irg_V1_Round, index: Int) async throws -> Irg_V1_Round {
        let start = ContinuousClock.now
        let (reply, timing) = try await services.call(services.generator, Irg_V1_MotionGenerator.refine, .with {
            $0.text = text
            $0.motion = round.codes
            $0.instruction = round.instruction
            $0.options = generationOptions(round: index, candidate: Int(round.candidate))
        })
        var next = Self.round(index: index, candidate: Int(round.candidate), sample: reply.refined)
        next.calls = [timing]
        next.elapsedMs = (ContinuousClock.now - start).milliseconds
        return next
    }

    // MARK: first generations

    private func generated(index: Int, candidate: Int) async throws -> Irg_V1_Round {
        let start = ContinuousClock.now
        let (reply, timing) = try await services.call(services.generator, Irg_V1_MotionGenerator.generate, .with {
            $0.text = text
            $0.options = generationOptions(round: index, candidate: candidate)
        })
        var round = Self.round(index: index, candidate: candidate, sample: reply.samples.first ?? .init())
        round.calls = [timing]
        round.elapsedMs = (ContinuousClock.now - start).milliseconds
        return round
    }

    /// n Generates in parallel (distinct seeds), then one AssessBatch for their rewards.
    private func candidates() async throws -> [Irg_V1_Round] {
        var rounds = try await withThrowingTaskGroup(of: Irg_V1_Round.self) { group in
            for k in 0..<settings.candidates { group.addTask { try await generated(index: k, candidate: k) } }
            var out: [Irg_V1_Round] = []
            for try await round in group { out.append(round) }
            return out.sorted { $0.index < $1.index }
        }
        try await rewardAll(&rounds)
        try await onRound(rounds)
        return rounds
    }

    // MARK: native

    private func native() async throws -> Outcome {
        let start = ContinuousClock.now
        let (reply, timing) = try await services.call(services.generator, Irg_V1_MotionGenerator.interleave, .with {
            $0.text = text
            $0.options = generationOptions(round: 0, candidate: 0)
        })
        var rounds = reply.rounds.enumerated().map { i, r -> Irg_V1_Round in
            var round = Irg_V1_Round()
            round.index = UInt32(i)
            round.codes = r.motion
            round.assessment = r.assessment
            round.instruction = r.instruction
            round.satisfied = r.instruction == "No refinements needed."
            if r.motion.codes.isEmpty { round.error = "this round of the transcript has no motion span" }
            return round
        }
        if rounds.isEmpty {
            var round = Irg_V1_Round()
            round.error = "the transcript has no [generate] round"
            rounds = [round]
        }
        rounds[0].calls = [timing]
        rounds[0].elapsedMs = (ContinuousClock.now - start).milliseconds
        try await rewardAll(&rounds)
        try await onRound(rounds)
        let final = rounds.lastIndex { !$0.codes.codes.isEmpty }
        return Outcome(rounds: rounds, stopReason: final == nil ? "error" : "transcript", finalRound: final)
    }

    /// One AssessBatch (no normalisation) for every round with a motion.
    private func rewardAll(_ rounds: inout [Irg_V1_Round]) async throws {
        let scored = rounds.indices.filter { !rounds[$0].codes.codes.isEmpty }
        guard !scored.isEmpty else { return }
        let items = scored.map { i in Irg_V1_MotionAssessRequest.with { $0.text = text; $0.codes = rounds[i].codes } }
        let (reply, timing) = try await services.call(services.assessor, Irg_V1_MotionAssessor.assessBatch, .with { $0.items = items })
        for (i, result) in zip(scored, reply.results) {
            guard result.status.code == .ok else {
                throw RPCError(StatusCode(rawValue: result.status.code.rawValue) ?? .internal,
                               "the assessor refused round \(i): \(result.status.message)")
            }
            rounds[i].terms = result.result
            rounds[i].reward = result.result.reward
            rounds[i].quality = result.result.quality
        }
        rounds[scored[0]].calls.append(timing)
    }

    // MARK: helpers

    private func generationOptions(round: Int, candidate: Int) -> Irg_V1_GenerationOptions {
        .with { $0.sampling = settings.sampling(round: round, candidate: candidate) }
    }

    static func round(index: Int, candidate: Int, sample: Irg_V1_GeneratedMotion) -> Irg_V1_Round {
        var round = Irg_V1_Round()
        round.index = UInt32(index)
        round.candidate = UInt32(candidate)
        round.codes = sample.codes
        if sample.codes.codes.isEmpty {
            round.error = sample.error.isEmpty ? "the generator returned no motion span" : sample.error
        }
        return round
    }

    private func stop(_ rounds: [Irg_V1_Round], _ reason: String) async throws -> Outcome {
        try await onRound(rounds)
        return Outcome(rounds: rounds, stopReason: reason)
    }

}
