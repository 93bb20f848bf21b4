import ArgumentParser
import IRGProto

/// How a command asks irg-orchestrator for a loop: mode, rounds, candidates,
/// as the API's LoopOptions (zeros mean the orchestrator's defaults).
struct LoopOptionGroup: ParsableArguments {
    enum Mode: String, ExpressibleByArgument { case explicit, native, bestOfN = "best-of-n" }

    @Option(help: "explicit (generate, assess, refine), native (one interleaved pass) or best-of-n.")
    var mode = Mode.explicit
    @Option(help: "Refinement rounds at most (0: the orchestrator's default, 5).")
    var rounds: UInt32 = 0
    @Option(help: "best-of-n: candidates (0: 4).")
    var candidates: UInt32 = 0

    func message(sampling: Irg_V1_SamplingParams) -> Irg_V1_LoopOptions {
        .with {
            $0.mode = [.explicit: .explicit, .native: .native, .bestOfN: .bestOfN][mode]!
            $0.maxRounds = rounds
            $0.numCandidates = candidates
            $0.sampling = sampling
        }
    }
}
