import ForgePrompts

/// One fix iteration, as later iterations are told about it.
struct FixAttempt: Equatable {
    var iteration: Int
    /// "changed textstats.py; tests then: 1 passed, 2 failed (diagnosis: …)".
    var summary: String

    /// The one wording used both live and when a resumed run rebuilds its history from the fix
    /// commits, so a resumed run sends exactly the prompts the uninterrupted run would have.
    init(iteration: Int, changed: [String], tests: String, rootCause: String) {
        self.iteration = iteration
        summary = changed.isEmpty
            ? "changed nothing (diagnosis: \(rootCause))"
            : "changed \(changed.joined(separator: ", ")); tests then: \(tests) (diagnosis: \(rootCause))"
    }

    init(iteration: Int, summary: String) {
        self.iteration = iteration
        self.summary = summary
    }

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
