import ForgeCore
import ForgePrompts
import ForgeSandbox
import Foundation
import Logging

extension Pipeline {
    /// Whether fix iteration `iteration` is a fresh start: the first code fails one of the spec's own
    /// examples (the strongest evidence a run has), so before analysing that code forge asks once for
    /// the file again from the spec alone, the way a single model call would write it.
    ///
    /// A small model guided by a PRD and a design sometimes writes worse code than it writes from the
    /// spec itself; diagnosing and patching that code costs more and often fails. The two versions
    /// then compete on the tests, spec examples first (``Candidate/isBetter(than:strong:)``), and the
    /// better one goes on. Only for one-file designs: a spec-only answer cannot split itself the way
    /// the design does.
    func startsFresh(_ iteration: Int, state: RunState) -> Bool {
        guard iteration == 1, state.sourcePaths.count == 1, let strong = strongEvidencePrefix,
              let report = state.working?.report, !report.allPassed,
              templates.variants(for: "single-shot").isEmpty == false else { return false }
        return report.cases.contains { $0.name.hasPrefix(strong) && $0.outcome != .passed }
    }

    /// One developer call from the spec alone, one verify, one commit. Returns a stop reason, or nil.
    func runFreshIteration(_ iteration: Int, settings: PipelineSettings, state: inout RunState,
                           ledger: UsageLedger) async throws -> String? {
        let template = try template("single-shot")
        let base = state.working!
        let path = state.sourcePaths[0]
        let integrity = FixIntegrity(rules: profile.testRules, lockedTests: Set(state.testPaths))
        let strong = strongEvidencePrefix ?? ""  // set: startsFresh checked it
        let failingExamples = base.report.failures.filter { $0.name.hasPrefix(strong) }.map(\.name)

        var changes = FileSet()
        do {
            let code = try await runStage(.fix, iteration: iteration, state: state, ledger: ledger,
                                          detail: "writing \(path) afresh from the spec",
                                          sampling: Sampling(temperature: 0, seed: settings.seed)) { conversation in
                try await SingleShotAgent(template: template, language: profile.name).write(
                    spec: settings.spec, path: path, conversation: conversation) { integrity.problems(path: path, content: $0) }
            }
            if code != base.files.text(path) { try changes.set(path, text: code) }
        } catch let error as ForgeError where error.code == .stageFailed {
            logger.warning("fresh answer unusable; \(path) left as it was", metadata: ["reason": "\(error.message)"])
        }

        let candidateFiles = base.files.merging(changes)
        let (writes, fixReport) = try await test(candidate: candidateFiles, iteration: iteration, state: &state)
        // Not a fix of the old code but a rival to it: whichever is better is what the next fix starts from.
        let candidate = Candidate(files: candidateFiles, report: fixReport, iteration: iteration)
        let better = candidate.isBetter(than: base, strong: strong)
        let cause = "wrote \(path) again from the spec alone; " + (better ? "kept it" : "kept the earlier version, which did better")
        let summary = changes.isEmpty ? "no change (fresh start from the spec gave the same \(path))"
            : "fresh start: \(path) written again from the spec alone"
        // The same fields as a diagnosed fix, so `forge resume` reads this attempt back the same way.
        let diagnosis = Diagnosis(failingTests: failingExamples, rootCause: cause, filesToChange: [path],
                                  fix: "write \(path) again from the spec alone, as one model call would")
        let body = "The first code failed the spec's own examples (\(failingExamples.joined(separator: ", "))); the better "
            + "of the two versions (spec examples first) goes on.\n" + Self.diagnosisBody(diagnosis, changed: changes.paths, report: fixReport)
        try await commit(.fix, summary: summary, body: body, writing: writes, iteration: iteration,
                         variants: [template.identifier], tests: fixReport, state: &state, ledger: ledger)
        if fixReport.allPassed { return "tests pass" }

        if better { state.working = candidate }
        if let best = state.best, candidate.isBetter(than: best, strong: strong) { state.best = candidate }
        state.attempts.append(FixAttempt(iteration: iteration, changed: changes.paths, tests: fixReport.summary,
                                         rootCause: cause, broke: []))
        state.lastSignature = state.working.map { FailureSignature($0.report) }
        state.repeats = 0
        return nil
    }
}
