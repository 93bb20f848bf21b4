import IRGProto
import Testing

@Suite struct ProtoRegistryTests {
    @Test func everyServiceOfTheArchitectureIsThere() {
        let services = Set(ProtoRegistry.methods.values.map(\.service))
        #expect(services == ["irg.v1.MotionTokenizer", "irg.v1.MotionGenerator", "irg.v1.MotionAssessor",
                             "irg.v1.MotionEvaluator", "irg.v1.MotionOrchestrator", "irg.v1.Health",
                             "irg.v1.Reflection", "irg.v1.Admin"])
        let generator = ProtoRegistry.methods(ofService: "irg.v1.MotionGenerator").map(\.fullName)
        #expect(generator == ["Assess", "Caption", "Generate", "Interleave", "Refine", "Score"]
            .map { "irg.v1.MotionGenerator/\($0)" })
    }

    @Test func idempotencyComesFromTheProtos() {
        #expect(ProtoRegistry.method(named: "irg.v1.Health/Check")?.idempotent == true)
        #expect(ProtoRegistry.method(named: "irg.v1.MotionTokenizer/Decode")?.idempotent == true)
        #expect(ProtoRegistry.method(named: "irg.v1.MotionEvaluator/StartJob")?.idempotent == false)
        #expect(ProtoRegistry.method(named: "irg.v1.MotionOrchestrator/Converse")?.idempotent == false)
    }

    @Test func inputAndOutputTypes() {
        let check = ProtoRegistry.method(named: "irg.v1.Health/Check")!
        #expect(check.input.name == "irg.v1.HealthCheckRequest")
        #expect(check.output.name == "irg.v1.HealthCheckResponse")
    }
}
