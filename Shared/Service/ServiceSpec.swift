import IRGProto

/// The five services of the suite: executable name, default address and the
/// proto services each one owns. `irg up` and every executable read this.
public struct ServiceSpec: Sendable {
    public let executable: String
    /// Loopback unless told otherwise.
    public let defaultAddress: String
    public let services: [String]

    public static let tokenizer = ServiceSpec(
        executable: "irg-tokenizer", defaultAddress: "tcp://127.0.0.1:7101", services: [Irg_V1_MotionTokenizer.serviceName])
    public static let generator = ServiceSpec(
        executable: "irg-generator", defaultAddress: "tcp://127.0.0.1:7102", services: [Irg_V1_MotionGenerator.serviceName])
    public static let assessor = ServiceSpec(
        executable: "irg-assessor", defaultAddress: "tcp://127.0.0.1:7103", services: [Irg_V1_MotionAssessor.serviceName])
    public static let evaluator = ServiceSpec(
        executable: "irg-evaluator", defaultAddress: "tcp://127.0.0.1:7104", services: [Irg_V1_MotionEvaluator.serviceName])
    public static let orchestrator = ServiceSpec(
        executable: "irg-orchestrator", defaultAddress: "tcp://127.0.0.1:7105", services: [Irg_V1_MotionOrchestrator.serviceName])

    public static let all: [ServiceSpec] = [tokenizer, generator, assessor, evaluator, orchestrator]
}
