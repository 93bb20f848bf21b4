/// The five services of the suite: executable name, default address and the
/// proto services each one owns. `irg up` and every executable read this.
public struct ServiceSpec: Sendable {
    public let executable: String
    /// Loopback unless told otherwise.
    public let defaultAddress: String
    public let services: [String]

    public static let tokenizer = ServiceSpec(
        executable: "irg-tokenizer", defaultAddress: "tcp://127.0.0.1:7101", services: ["irg.v1.MotionTokenizer"])
    public static let generator = ServiceSpec(
        executable: "irg-generator", defaultAddress: "tcp://127.0.0.1:7102", services: ["irg.v1.MotionGenerator"])
    public static let assessor = ServiceSpec(
        executable: "irg-assessor", defaultAddress: "tcp://127.0.0.1:7103", services: ["irg.v1.MotionAssessor"])
    public static let evaluator = ServiceSpec(
        executable: "irg-evaluator", defaultAddress: "tcp://127.0.0.1:7104", services: ["irg.v1.MotionEvaluator"])
    public static let orchestrator = ServiceSpec(
        executable: "irg-orchestrator", defaultAddress: "tcp://127.0.0.1:7105", services: ["irg.v1.MotionOrchestrator"])

    public static let all: [ServiceSpec] = [tokenizer, generator, assessor, evaluator, orchestrator]
}
