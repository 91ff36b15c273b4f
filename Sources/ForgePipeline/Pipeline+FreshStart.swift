import ForgeCore
import ForgePrompts
import ForgeSandbox
import Foundation
import Logging

extension Pipeline {
    /// Whether fix iteration `iteration` is a fresh start: the first code fails one of the spec's own
    /// examples (the strongest evidence a run has), so before analysing that code forge draws the file
    /// again from the spec alone, the way a single model call would write it.
    ///
    /// A small model guided by a PRD and a design sometimes writes worse code than it writes from the
    /// spec itself; diagnosing and patching that code costs more and often fails. The versions then
    /// compete on the tests, spec examples first (``Candidate/isBetter(than:strong:)``), and the best
    /// one goes on. Only for one-file designs: a spec-only answer cannot split itself the way the
    /// design does.
    func startsFresh(_ iteration: Int, state: RunState) -> Bool {
        guard iteration == 1, state.sourcePaths.count == 1, strongEvidencePrefix != nil,
              let report = state.working?.report, !report.allPassed,
              templates.variants(for: "single-shot").isEmpty == false else { return false }
        return failsASpecExample(report)
    }

    /// Whether `report` has a spec example that did not pass: what starts a fresh start, and what
    /// keeps it drawing.
    private func failsASpecExample(_ report: TestReport) -> Bool {
        report.cases.contains { isSpecExample($0.name) && $0.outcome != .passed }
    }

    /// Draws up to `settings.freshSamples` answers from the spec alone, tests each, and commits the
    /// best. Returns a stop reason, or nil.
    ///
    /// The first answer is the greedy one (temperature 0: what a single call writes); the rest are
    /// samples at temperature 0.8, each with its own seed. Drawing stops at the first answer that
    /// passes every spec example: the spec's examples are the filter that makes best-of-N more than
    /// a lottery, and an answer drawn from the spec costs a few hundred tokens, where an analyst and
    /// a fix cost a few thousand and rarely find what a 1.5B model got wrong.
    func runFreshIteration(_ iteration: Int, settings: PipelineSettings, state: inout RunState,
                           ledger: UsageLedger) async throws -> String? {
        let template = try template("single-shot")
        let base = state.working!
        let path = state.sourcePaths[0]
        let integrity = FixIntegrity(rules: profile.testRules, lockedTests: Set(state.testPaths))
        let strong = strongEvidencePrefix ?? ""  // set: startsFresh checked it
        let failingExamples = base.report.failures.filter { isSpecExample($0.name) }.map(\.name)
        let tipReport = state.lastReport
        let draws = max(1, settings.freshSamples)

        var best: (candidate: Candidate, writes: FileSet, draw: Int)?
        var tried: [String: Int] = [:]  // answer → the draw that first gave it: a repeat is not tested again
        var lines: [String] = []
        var budgetStop: String?
        for draw in 1 ... draws {
            let sampling = draw == 1 ? Sampling(temperature: 0, seed: settings.seed)
                : Sampling(temperature: 0.8, seed: settings.seed.map { $0 + draw - 1 } ?? draw)
            let label = draws == 1 ? "" : " (draw \(draw) of \(draws)\(draw == 1 ? ", greedy" : ", temperature 0.8"))"
            let code: String
            do {
                code = try await runStage(.fix, iteration: iteration, state: state, ledger: ledger,
                                          detail: "writing \(path) afresh from the spec\(label)", sampling: sampling) { conversation in
                    try await SingleShotAgent(template: template, language: profile.name).write(
                        spec: settings.spec, path: path, conversation: conversation) { integrity.problems(path: path, content: $0) }
                }
            } catch let error as ForgeError where error.code == .stageFailed {
                logger.warning("fresh answer unusable", metadata: ["draw": "\(draw)", "reason": "\(error.message)"])
                lines.append("- draw \(draw): unusable answer")
                continue
            } catch let exhausted as BudgetExhausted {
                // What was drawn so far is still worth its commit; the loop then stops on the budget.
                budgetStop = exhausted.description
                break
            }
            if code == base.files.text(path) {
                lines.append("- draw \(draw): the first code again")
                continue
            }
            if let earlier = tried[code] {
                lines.append("- draw \(draw): the same as draw \(earlier)")
                continue
            }
            tried[code] = draw
            var changes = FileSet()
            try changes.set(path, text: code)
            let files = base.files.merging(changes)
            let (writes, report) = try await test(candidate: files, iteration: iteration, state: &state)
            let candidate = Candidate(files: files, report: report, iteration: iteration)
            lines.append("- draw \(draw): \(CommitMessage.oneLine(report.summary, limit: 160))\(examplesNote(report))")
            if best == nil || candidate.isBetter(than: best!.candidate, strong: strong) { best = (candidate, writes, draw) }
            if report.allPassed || !failsASpecExample(report) { break }
        }
        if let budgetStop, best == nil { return budgetStop }

        // The best draw is committed whether or not it beats the first code, so the history shows what
        // the spec alone gives; if it lost, the next iteration starts from the first code again.
        let writes = best?.writes ?? FileSet()
        let fixReport = best?.candidate.report ?? base.report
        // Testing each draw left the last one's report as the tip's; the commit makes it the best one's.
        state.lastReport = best == nil ? tipReport : fixReport
        let better = best.map { $0.candidate.isBetter(than: base, strong: strong) } ?? false
        let drawn = draws == 1 ? "wrote \(path) again from the spec alone"
            : "drew \(path) from the spec alone \(lines.count) time\(lines.count == 1 ? "" : "s")"
        let cause = drawn + "; " + (best == nil ? "no answer differed from the first code"
            : better ? "kept draw \(best!.draw)" : "kept the earlier version, which did better")
        let summary = best == nil ? "no change (fresh start from the spec gave the same \(path))"
            : draws == 1 ? "fresh start: \(path) written again from the spec alone"
            : "fresh start: \(path) from the spec alone (draw \(best!.draw) of \(lines.count))"
        // The same fields as a diagnosed fix, so `forge resume` reads this attempt back the same way.
        let diagnosis = Diagnosis(failingTests: failingExamples, rootCause: cause, filesToChange: [path],
                                  fix: "write \(path) again from the spec alone, as one model call would")
        let body = "The first code failed the spec's own examples (\(failingExamples.joined(separator: ", "))); "
            + "the best version (spec examples first) goes on.\n"
            + (draws == 1 ? "" : "Draws from the spec alone:\n" + lines.joined(separator: "\n") + "\n")
            + Self.diagnosisBody(diagnosis, changed: writes.paths, report: fixReport)
        try await commit(.fix, summary: summary, body: body, writing: writes, iteration: iteration,
                         variants: [template.identifier], tests: fixReport, state: &state, ledger: ledger)
        if fixReport.allPassed { return "tests pass" }

        if let best {
            if better { state.working = best.candidate }
            if let kept = state.best, best.candidate.isBetter(than: kept, strong: strong) { state.best = best.candidate }
        }
        state.attempts.append(FixAttempt(iteration: iteration, changed: writes.paths, tests: fixReport.summary,
                                         rootCause: cause, broke: []))
        state.lastSignature = state.working.map { FailureSignature($0.report) }
        state.repeats = 0
        return budgetStop
    }

    /// ", 3 of 4 spec examples" for a draw's line in the commit body.
    private func examplesNote(_ report: TestReport) -> String {
        let examples = report.cases.filter { isSpecExample($0.name) }
        guard !examples.isEmpty else { return "" }
        return "; \(examples.count { $0.outcome == .passed }) of \(examples.count) spec examples pass"
    }
}
