@testable import IRGConversation
import Testing

/// The built-in planner on a table of requests and edits: the plan expected
/// for each (docs/conversation.md writes the grammar down).
@Suite struct BuiltinPlannerTests {
    let planner = BuiltinPlanner()

    func answer(_ message: String, after plans: [[String]] = [], attached: Bool = false, caption: String? = nil) -> PlannerAnswer {
        let history = plans.map { PlannerTurn(message: "", plan: $0, exchange: []) }
        return planner.decide(PlannerContext(history: history, message: message, exchange: [.user(message)], motionAttached: attached,
                                             motionAvailable: attached || !plans.isEmpty, caption: caption))
    }

    func plan(_ message: String, after plans: [[String]] = []) -> [String]? {
        if case .plan(let steps, _) = answer(message, after: plans) { return steps }
        return nil
    }

    static let requests: [(String, [String])] = [
        ("walk forward", ["a person walks forward."]),
        ("A person walks forward happily.", ["a person walks forward happily."]),
        ("walk forward, then wave with the right hand twice and bow",
         ["a person walks forward.", "a person waves with the right hand.", "a person waves with the right hand.", "a person bows."]),
        ("jump three times", Array(repeating: "a person jumps.", count: 3)),
        ("kick x2 and then punch", ["a person kicks.", "a person kicks.", "a person punches."]),
        ("run to the left followed by a bow", ["a person runs to the left.", "a person bows."]),
        ("wave with the left and right hands", ["a person waves with the left and right hands."]),
        ("slowly sit down; stand up. then stretch", ["a person sits down slowly.", "a person stands up.", "a person stretches."]),
        ("please make them do a cartwheel", ["a person cartwheels."]),
        ("the person should take a bow", ["a person bows."]),
        ("jump up and down a couple of times", ["a person jumps up and down.", "a person jumps up and down."]),
        ("running in a circle and waving", ["a person runs in a circle.", "a person waves."]),
    ]

    @Test(arguments: requests) func compoundRequestsSplitIntoSteps(_ request: String, _ expected: [String]) {
        #expect(plan(request) == expected, "\(request): \(answer(request))")
    }

    static let base = ["a person walks forward.", "a person waves with the right hand.", "a person waves with the right hand.", "a person bows."]

    static let edits: [(String, [String])] = [
        ("make the walk sad", ["a person walks forward sadly.", base[1], base[2], base[3]]),
        ("make the walk sadder", ["a person walks forward sadly.", base[1], base[2], base[3]]),
        ("remove the bow", Array(base[0..<3])),
        ("delete the waves", [base[0], base[3]]),
        ("remove the second wave", [base[0], base[1], base[3]]),
        ("remove the last step", Array(base[0..<3])),
        ("add a kick at the end", base + ["a person kicks."]),
        ("add a jump at the beginning", ["a person jumps."] + base),
        ("insert a spin after the walk", [base[0], "a person spins."] + Array(base[1...])),
        ("add a clap before the bow", Array(base[0..<3]) + ["a person claps.", base[3]]),
        ("replace the wave with a jump", [base[0], "a person jumps.", "a person jumps.", base[3]]),
        ("change the bow to a kick", Array(base[0..<3]) + ["a person kicks."]),
        ("instead of the bow, jump twice", Array(base[0..<3]) + ["a person jumps.", "a person jumps."]),
        ("then make them jump twice", base + ["a person jumps.", "a person jumps."]),
        ("make it happy", base.map { String($0.dropLast()) + " happily." }),
        ("repeat the wave three times", [base[0], base[1], base[1], base[1], base[3]]),
        ("do the bow twice", base + [base[3]]),
        ("end with a salute", base + ["a person salutes."]),
        ("run forward and jump", ["a person runs forward.", "a person jumps."]),  // not an edit: a new plan
    ]

    @Test(arguments: edits) func editsApplyToThePreviousPlan(_ edit: String, _ expected: [String]) {
        #expect(plan(edit, after: [Self.base]) == expected, "\(edit): \(answer(edit, after: [Self.base]))")
    }

    @Test func aMannerReplacesTheOldOne() {
        #expect(plan("make the walk angry", after: [["a person walks forward sadly."]]) == ["a person walks forward angrily."])
    }

    @Test func undoGoesBackOnePlan() {
        #expect(plan("undo", after: [["a person jumps."], Self.base]) == ["a person jumps."])
        guard case .reply = answer("undo", after: [Self.base]) else { Issue.record("undo with one plan"); return }
    }

    @Test func editsOfStepsThatAreNotThereSaySo() {
        guard case .reply(let text) = answer("remove the kick", after: [Self.base]) else { Issue.record("no reply"); return }
        #expect(text.contains("no kick") && text.contains("1. a person walks forward."), "\(text)")
        guard case .reply(let empty) = answer("remove everything", after: [Self.base]) else { Issue.record("no reply"); return }
        #expect(empty.contains("every step"))
    }

    /// Never a silent guess: what was understood and what not.
    @Test func unknownWordsGetAReplyNotAGuess() {
        guard case .reply(let text) = answer("walk forward, then fly to the moon") else { Issue.record("guessed"); return }
        #expect(text.contains("I understood: 1. a person walks forward.") && text.contains("\"fly to the moon\""), "\(text)")
        guard case .reply(let many) = answer("jump 50 times") else { Issue.record("guessed"); return }
        #expect(many.contains("at most 10"), "\(many)")
        guard case .reply = answer("hello there") else { Issue.record("guessed"); return }
    }

    @Test func questionsAskForACaptionThenAnswerWithIt() {
        #expect(answer("what is the person doing?", after: [Self.base]) == .caption)
        #expect(answer("Can you describe the motion?", after: [Self.base]) == .caption)
        #expect(answer("look at this", attached: true) == .caption)
        guard case .reply(let none) = answer("what is the person doing?") else { Issue.record("no reply"); return }
        #expect(none.contains("no motion"))
        guard case .reply(let text) = answer("what is the person doing?", after: [Self.base], caption: "a person jumps.") else {
            Issue.record("no reply"); return
        }
        #expect(text.contains("a person jumps."))
    }

    /// The stored exchange is the chat planner's JSON, which its parser reads back.
    @Test func theBuiltinAnswerReadsBackAsTheSamePlan() throws {
        let steps = ["a person waves at someone's friend.", "a person bows."]
        let json = BuiltinPlanner.json(.plan(steps, reasoning: "two"))
        #expect(try PlannerReplyParser.parse(json) == .plan(steps, reasoning: "two"))
        #expect(try PlannerReplyParser.parse(BuiltinPlanner.json(.caption)) == .caption)
    }
}
