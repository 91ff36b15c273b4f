/// The words of a fresh start's or cross-check's commit: its subject, its root cause (which the
/// next analyst reads as an attempt) and the body listing every draw and how the versions behaved.
struct DrawsMessage {
    let reason: Pipeline.DrawReason
    let path: String
    /// How many draws were allowed.
    let draws: Int
    let ballot: Ballot
    /// One line per draw, as the drawing went.
    let lines: [String]
    /// The first code's failing tests, and which of them are the spec's own examples.
    let failing: [String]
    let failingExamples: [String]

    private var versions: [Pipeline.Version] { ballot.versions }
    private var winner: Pipeline.Version { versions[ballot.winner] }
    private var drawn: Int { versions.count - 1 }

    /// Short: a subject line has 72 characters; the body says who agreed with whom.
    var summary: String {
        switch reason {
        case .crossCheck:
            winner.draw == 0 ? "cross-check: the first code stands against \(drawn) draws"
                : "cross-check: draw \(winner.draw) of \(drawn) replaces the first code"
        case .failedExamples, .failedTests:
            drawn == 0 ? "no change (no usable answer from the spec)"
                : winner.draw == 0 ? "fresh start: the first code stands against \(drawn) answer\(drawn == 1 ? "" : "s") from the spec"
                : draws == 1 ? "fresh start: \(path) written again from the spec alone"
                : "fresh start: \(path) from the spec alone (draw \(winner.draw) of \(drawn))"
        }
    }

    var cause: String {
        let done = draws == 1 ? "wrote \(path) again from the spec alone" : "drew \(path) from the spec alone \(drawn) time\(drawn == 1 ? "" : "s")"
        guard drawn > 0 else { return done + "; no answer was usable" }
        let kept = winner.draw == 0 ? "kept the earlier version, which did better" : "kept draw \(winner.draw)"
        guard let behaviour = ballot.behaviour else { return done + "; " + kept }
        let agreeing = behaviour.agreement(ballot.winner)
        return done + "; " + kept + "; \(agreeing) other answer\(agreeing == 1 ? " behaves" : "s behave") like it on \(behaviour.inputs.count) inputs"
    }

    /// The same fields as a diagnosed fix, so `forge resume` reads this attempt back the same way.
    var diagnosis: Diagnosis {
        Diagnosis(failingTests: failing, rootCause: cause, filesToChange: [path],
                  fix: "write \(path) again from the spec alone, as one model call would, and keep the version the evidence favours")
    }

    /// Why forge drew, the draws, and the groups of versions that behave alike; the diagnosis follows.
    var body: String {
        let why = switch reason {
        case .failedExamples: "The first code failed the spec's own examples (\(failingExamples.joined(separator: ", "))); "
        case .failedTests: "The first code failed tests the model wrote (\(failing.prefix(5).joined(separator: ", "))), which may be wrong; "
        case .crossCheck: "The first code passed its tests, but an answer drawn from the spec alone behaves differently; "
        }
        return why + "versions are ranked by the spec's examples, then by how many answers behave alike, then by the tests, "
            + "then by fewer crashes, then by the other versions' answers where two versions differ.\n"
            + "Draws from the spec alone:\n" + lines.joined(separator: "\n") + "\n"
            + (ballot.behaviour.map { "Behaviour: " + ballot.describe($0) + "\n" } ?? "")
            + (ballot.supportNote.map { "Kept \($0).\n" } ?? "")
    }
}
