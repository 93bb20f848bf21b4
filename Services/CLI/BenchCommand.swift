import ArgumentParser

/// `irg bench ...`: benchmarks that print figures (never timed tests).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks that print figures.",
        subcommands: [RPCBenchCommand.self, MotionBenchCommand.self, VQBenchCommand.self, EvalBenchCommand.self, LLMBenchCommand.self, AssessBenchCommand.self, LoopBenchCommand.self])
}
