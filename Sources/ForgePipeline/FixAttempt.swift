import ForgePrompts

/// One fix iteration, as later iterations are told about it.
struct FixAttempt: Equatable {
    var iteration: Int
    /// "changed textstats.py; then 1 passed, 2 failed (diagnosis: …)".
    var summary: String

    /// The one wording used both live and when a resumed run rebuilds its history from the fix
    /// commits, so a resumed run sends exactly the prompts the uninterrupted run would have.
    init(iteration: Int, changed: [String], tests: String, rootCause: String, broke: [String] = []) {
        self.iteration = iteration
        let cause = String(rootCause.prefix(100))
        if changed.isEmpty {
            summary = "changed nothing (diagnosis: \(cause))"
        } else if broke.isEmpty {
            summary = "changed \(changed.joined(separator: ", ")); then \(tests) (diagnosis: \(cause))"
        } else {
            // A regression is reverted; the next attempt must know why its starting point moved back.
            summary = "changed \(changed.joined(separator: ", ")); then \(tests), breaking \(broke.prefix(2).joined(separator: ", ")), which passed before, so the change was reverted (diagnosis: \(cause))"
        }
    }

    /// How many earlier attempts a prompt shows. Older ones are summarised as a count, so the prompt at
    /// iteration k stays within a fixed margin of iteration 1's instead of growing with the history.
    static let shown = 2
    static let summaryLimit = 180

    /// The attempts a prompt should show: the last ``shown``, with a count line for the rest.
    static func recent(_ attempts: [FixAttempt]) -> [FixAttempt] {
        guard attempts.count > shown else { return attempts }
        let hidden = attempts.count - shown
        return [FixAttempt(iteration: 0, summary: "\(hidden) more failed")] + attempts.suffix(shown)
    }

    init(iteration: Int, summary: String) {
        self.iteration = iteration
        self.summary = summary
    }

    var promptValue: PromptValue {
        // Capped so that the history adds a bounded amount to each prompt, whatever the model said.
        .object(["label": .string(iteration > 0 ? "attempt \(iteration)" : "earlier"), "summary": .string(String(summary.prefix(Self.summaryLimit)))])
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
