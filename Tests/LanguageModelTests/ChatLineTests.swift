import IRGModels
import IRGMotion
import Testing

/// `irg llm chat`'s lines become the MotionLLM tasks they name.
@Suite struct ChatLineTests {
    @Test func commandsBecomeTasks() throws {
        let last = [7, 8]
        #expect(try ChatLine(" a person waves ", lastMotion: nil) == .text("a person waves"))
        #expect(try ChatLine("/generate a person waves", lastMotion: nil) == .task(.generate(caption: "a person waves", format: .irg)))
        #expect(try ChatLine("/caption 1, 2,3", lastMotion: last) == .task(.caption(motion: [1, 2, 3])))
        #expect(try ChatLine("/caption", lastMotion: last) == .task(.caption(motion: last)))
        #expect(try ChatLine("/assess a jump | 4,5", lastMotion: last) == .task(.refineInstruction(caption: "a jump", motion: [4, 5])))
        #expect(try ChatLine("/assess a jump", lastMotion: last) == .task(.refineInstruction(caption: "a jump", motion: last)))
        #expect(try ChatLine("/refine a jump | higher", lastMotion: last) == .task(.refine(caption: "a jump", motion: last, instruction: "higher")))
        #expect(try ChatLine("/refine a jump | 9 | higher", lastMotion: last) == .task(.refine(caption: "a jump", motion: [9], instruction: "higher")))
        #expect(try ChatLine("/interleave a jump", lastMotion: nil) == .task(.interleave(caption: "a jump")))
        #expect(try ChatLine("/analyze a jump", lastMotion: nil) == .task(.analyze(caption: "a jump")))
    }

    @Test func badLinesSayWhy() {
        #expect(throws: MotionError.self) { try ChatLine("/caption", lastMotion: nil) }  // no motion yet
        #expect(throws: MotionError.self) { try ChatLine("/caption 1,x", lastMotion: nil) }
        #expect(throws: MotionError.self) { try ChatLine("/dance now", lastMotion: nil) }
        #expect(throws: MotionError.self) { try ChatLine("/refine only text", lastMotion: [1]) }
    }
}
