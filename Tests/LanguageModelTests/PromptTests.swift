import IRGModels
import Testing

/// The IRG template, filled, with ".." collapsed as Python's str.replace does.
@Suite struct PromptTests {
    @Test func irgTemplateCollapsesDoubleDots() {
        let prompt = MotionLLMPrompt.irg(user: "Generate a motion that depicts a person walks..")
        #expect(prompt == MotionLLMPrompt.system + "\n\nUser: Generate a motion that depicts a person walks.\n\n Response:")
        #expect(MotionLLMPrompt.irg(user: "a...b").contains("a..b"))
        #expect(MotionLLMPrompt.irg(user: "..\u{301}").contains(".\u{301}\n"))
    }
}
