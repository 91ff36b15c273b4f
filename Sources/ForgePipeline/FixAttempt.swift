import ForgePrompts

/// One fix iteration, as later iterations are told about it.
struct FixAttempt: Equatable {
    var iteration: Int
    /// "changed textstats.py; tests then: 1 passed, 2 failed (diagnosis: …)".
    var summary: String

    var promptValue: PromptValue {
        .object(["iteration": .int(iteration), "summary": .string(summary)])
    }

    /// How iteration `k` samples: the first attempt is deterministic, repeats explore.
    static func temperature(forIteration iteration: Int) -> Double {
        switch iteration {
        case ...1: 0
        case 2: 0.4
        default: 0.7
        }
    }
}
