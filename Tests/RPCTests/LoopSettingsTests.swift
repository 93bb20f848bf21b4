import IRGOrchestration
import IRGProto
import Testing

/// The model's assessments take their own token limit when the request sets
/// one (an instruction is shorter than a motion), and keep the call's seed.
@Suite struct LoopSettingsTests {
    @Test func assessmentsTakeTheirOwnTokenLimit() throws {
        var options = Irg_V1_LoopOptions()
        options.sampling.maxNewTokens = 50
        options.sampling.seed = 7
        options.assessmentMaxNewTokens = 40
        let settings = try LoopSettings(options)
        #expect(settings.assessmentSampling(round: 2).maxNewTokens == 40)
        #expect(settings.assessmentSampling(round: 2).seed == settings.sampling(round: 2).seed)
        #expect(settings.sampling(round: 2).maxNewTokens == 50)
    }

    @Test func withoutOneAssessmentsTakeTheSamplingLimit() throws {
        var options = Irg_V1_LoopOptions()
        options.sampling.maxNewTokens = 50
        #expect(try LoopSettings(options).assessmentSampling(round: 1).maxNewTokens == 50)
    }
}
