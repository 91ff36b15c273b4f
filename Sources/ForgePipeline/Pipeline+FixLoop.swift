import ForgeCore
import ForgeGit
import ForgePrompts
import ForgeSandbox
import Foundation
import Logging

extension Pipeline {
    /// Analyst and developer take turns until the tests pass or a stop rule fires. Returns the stop reason.
    ///
    /// When the first code fails the spec's own examples, iteration 1 is a fresh start from the spec
    /// instead (``freshStartReason(_:settings:state:)``). The stop rules are layered:
    /// - **tests pass**;
    /// - **budget**: iterations here; tokens, cost and time before every model call (``UsageLedger``);
    /// - **stuck**: the same failure signature `stuckAfter` times in a row changes the strategy once
    ///   (the developer rewrites the file whole), and stops the loop if it repeats again.
    ///
    /// A fix that breaks a test that passed is reverted: the next iteration starts from the version
    /// before it, and is told why. Whatever stops the loop short of passing, the branch ends on the
    /// best version seen (``keepBest(_:ledger:)``).
    func runFixLoop(_ settings: PipelineSettings, state: inout RunState, ledger: UsageLedger) async throws -> String {
        let analystTemplate = try template("analyst")
        let fixTemplate = try template("fix")
        if state.working == nil, let report = state.lastReport {
            state.working = Candidate(files: state.files.filter(isLoopFile(state)), report: report, iteration: state.iterations)
        }
        if state.best == nil { state.best = state.working }
        if state.lastSignature == nil, let report = state.lastReport { state.lastSignature = FailureSignature(report) }

        do {
            for iteration in stride(from: state.iterations + 1, through: settings.maxIterations, by: 1) {
                try Task.checkCancellation()
                try await ledger.checkTime()
                state.iterations = iteration
                let outcome = if let reason = freshStartReason(iteration, settings: settings, state: state) {
                    try await runDraws(iteration, reason: reason, settings: settings, state: &state, ledger: ledger)
                } else {
                    try await runFixIteration(iteration, settings: settings, state: &state, ledger: ledger,
                                                analystTemplate: analystTemplate, fixTemplate: fixTemplate)
                }
                if let reason = outcome { return try await keepBest(reason, state: &state, ledger: ledger) }
            }
        } catch let exhausted as BudgetExhausted {
            return try await keepBest(exhausted.description, state: &state, ledger: ledger)
        }
        let fixes = settings.maxIterations
        return try await keepBest("iteration budget spent (\(fixes) fix\(fixes == 1 ? "" : "es"))", state: &state, ledger: ledger)
    }

    /// One analyst call, one fix per file, one verify, one commit. Returns a stop reason, or nil to go on.
    private func runFixIteration(_ iteration: Int, settings: PipelineSettings, state: inout RunState, ledger: UsageLedger,
                                 analystTemplate: PromptTemplate, fixTemplate: PromptTemplate) async throws -> String? {
        let base = state.working!
        let report = base.report
        let snapshot = state
        let rewriting = state.strategy == .rewrite
        let sampling = Sampling(temperature: rewriting ? 0.7 : FixAttempt.temperature(forIteration: iteration),
                                seed: settings.seed.map { $0 + iteration - 1 })
        let attempts = FixAttempt.recent(state.attempts)
        let testPaths = state.testPaths

        // Inside the loop an unusable answer costs one iteration, not the run: the next iteration
        // samples again, and the work so far stays on the branch either way.
        let diagnosis: Diagnosis
        do {
            diagnosis = try await runStage(.analyst, iteration: iteration, state: state, ledger: ledger, detail: report.summary,
                                           sampling: sampling) { conversation in
                try await AnalystAgent(template: analystTemplate).diagnose(
                    report: report, prd: snapshot.prd!, design: snapshot.design!, files: base.files, sourcePaths: snapshot.sourcePaths,
                    testPaths: testPaths, attempts: attempts, rewriting: rewriting, conversation: conversation)
            }
        } catch let error as ForgeError where error.code == .stageFailed {
            diagnosis = Diagnosis(failingTests: report.failures.map(\.name), rootCause: "unknown: the analyst's answer was unusable",
                                  filesToChange: snapshot.sourcePaths, fix: "make the failing tests pass")
            logger.warning("analyst answer unusable; fixing without a diagnosis", metadata: ["reason": "\(error.message)"])
        }
        let unlocks = diagnosis.unlockTests.filter { request in
            testPaths.contains(request.path) && !request.reason.trimmingCharacters(in: .whitespaces).isEmpty
        }
        var integrity = FixIntegrity(rules: profile.testRules, lockedTests: Set(testPaths))
        integrity.unlockedTests = Set(unlocks.map(\.path))

        let checks = integrity
        // One fix of `path`, checked and repaired; nil when the answer was unusable. It reads the
        // snapshot, not `state`, so it can be called while a test updates `state`.
        func fix(_ path: String, sampling: Sampling, detail: String) async throws -> String? {
            let unlock = unlocks.first { $0.path == path }
            do {
                return try await runStage(.fix, iteration: iteration, state: snapshot, ledger: ledger, detail: detail,
                                          sampling: sampling) { conversation in
                    try await DeveloperFixAgent(template: fixTemplate, language: self.profile.name).fix(
                        path: path, files: base.files, diagnosis: diagnosis, report: report, prd: snapshot.prd!, design: snapshot.design!,
                        testPaths: testPaths, attempts: attempts, rewriting: rewriting, unlockReason: unlock?.reason,
                        conversation: conversation, repair: { checks.repaired(path: path, content: $0) }) { code in
                        var problems = checks.problems(path: path, content: code)
                        if unlock != nil, problems.isEmpty { problems = try await self.unlockedTestProblems(path: path, content: code, state: snapshot) }
                        // The one file to change, answered as it was while an example the spec
                        // states fails, is a wasted iteration (three in a row on one bench task):
                        // it gets the repair request. Not while only the model's own tests fail:
                        // there the local model rightly kept correct code against a wrong test.
                        if problems.isEmpty, unlocks.isEmpty, diagnosis.filesToChange.count == 1, code == base.files.text(path),
                           let example = report.failures.first(where: { self.isSpecExample($0.name) }) {
                            problems.append(Self.unchangedProblem(path: path, example: example, diagnosis: diagnosis))
                        }
                        return problems
                    }
                }
            } catch let error as ForgeError where error.code == .stageFailed {
                logger.warning("fix answer unusable; \(path) left as it was", metadata: ["reason": "\(error.message)"])
                return nil
            }
        }

        var changes = FileSet()
        for path in diagnosis.filesToChange + unlocks.map(\.path) {
            if let code = try await fix(path, sampling: sampling, detail: "fixing \(path)"), code != base.files.text(path) {
                try changes.set(path, text: code)
            }
        }
        let unlockedChanged = unlocks.filter { changes[$0.path] != nil }
        var candidateFiles = base.files.merging(changes)
        if !unlockedChanged.isEmpty {
            for request in unlockedChanged { state.lockedTests[request.path] = SHA256.hex(candidateFiles[request.path]!) }
            try candidateFiles.set(TestLock.path, text: TestLock(files: state.lockedTests).json)
        }
        // What this commit writes over the tip: the candidate's files that differ from it. When the last
        // fix was reverted, that includes the files it had changed.
        let reverted = base.files.filter { base.files[$0] != state.files[$0] }.paths
        let tipReport = state.lastReport
        var (writes, fixReport) = try await test(candidate: candidateFiles, iteration: iteration, state: &state)
        var samples: [String] = []
        if settings.fixSamples > 1, unlocks.isEmpty, diagnosis.filesToChange.count == 1, failsASpecExample(fixReport) {
            let first = FixSample(number: 1, temperature: sampling.temperature, changes: changes, files: candidateFiles, writes: writes,
                                  report: fixReport, broken: Candidate.regressions(from: report, to: fixReport))
            let path = diagnosis.filesToChange[0]
            let (chosen, lines) = try await sampleFixes(after: first, path: path, base: base, tipReport: tipReport, iteration: iteration,
                                                        settings: settings, state: &state) { sampling, detail in
                try await fix(path, sampling: sampling, detail: detail)
            }
            (changes, candidateFiles, writes, fixReport, samples) = (chosen.changes, chosen.files, chosen.writes, chosen.report, lines)
        }
        let broken = Candidate.regressions(from: report, to: fixReport)
        let summary = changes.isEmpty ? "no change (\(diagnosis.rootCause))" : diagnosis.rootCause
        let body = Self.diagnosisBody(diagnosis, changed: changes.paths, report: fixReport)
            + (reverted.isEmpty ? "" : "\nReverted: \(reverted.joined(separator: ", ")) (the previous fix broke tests that passed)")
            + unlockedChanged.map { "\nUnlocked \($0.path): \($0.reason)" }.joined()
            + (samples.isEmpty ? "" : "\n\nFix samples (the spec's own examples still failed after the first):\n" + samples.joined(separator: "\n"))
        try await commit(.fix, summary: summary, body: body, writing: writes, iteration: iteration,
                         variants: [analystTemplate.identifier, fixTemplate.identifier], tests: fixReport, state: &state, ledger: ledger)
        if fixReport.allPassed { return "tests pass" }

        let candidate = Candidate(files: candidateFiles, report: fixReport, iteration: iteration)
        if broken.isEmpty { state.working = candidate }
        if let best = state.best, candidate.isBetter(than: best, strong: strongEvidencePrefix) { state.best = candidate }
        // The summary, not just the counts: "no tests ran" or a timeout is what the next attempt must know.
        state.attempts.append(FixAttempt(iteration: iteration, changed: changes.paths, tests: fixReport.summary,
                                         rootCause: CommitMessage.oneLine(diagnosis.rootCause), broke: broken))
        return noteSignature(FailureSignature(fixReport), settings: settings, state: &state)
    }

    /// Counts repeats of the failure signature; the first time it repeats too often the strategy
    /// changes, the second time the loop stops.
    private func noteSignature(_ signature: FailureSignature, settings: PipelineSettings, state: inout RunState) -> String? {
        state.repeats = signature == state.lastSignature ? state.repeats + 1 : 0
        state.lastSignature = signature
        guard state.repeats >= settings.stuckAfter else { return nil }
        state.repeats = 0
        if state.strategy == .targeted {
            state.strategy = .rewrite
            logger.info("same failure \(settings.stuckAfter + 1) times in a row: the developer rewrites the file next")
            return nil
        }
        let first = signature.text.split(separator: "\n").first.map(String.init) ?? ""
        return "stuck: the same failure \(settings.stuckAfter + 1) times in a row, also after a change of strategy (\(CommitMessage.oneLine(first, limit: 120)))"
    }

    /// Ends the loop on the best version seen: if the tip is worse, one more commit restores the best
    /// candidate (tested again, so its trailer reports a real run).
    func keepBest(_ reason: String, state: inout RunState, ledger: UsageLedger) async throws -> String {
        guard let best = state.best, let last = state.lastReport,
              Candidate.isBetter(best.report, than: last, strong: strongEvidencePrefix) else { return reason }
        let restore = best.files.filter { best.files[$0] != state.files[$0] }
        guard !restore.isEmpty else { return reason }
        let report = try await verify(changes: restore, iteration: state.iterations, state: &state)
        let summary = "keep the best version (iteration \(best.iteration): \(best.report.trailerValue))"
        try await commit(.fix, summary: summary, body: "The loop stopped (\(reason)) on a worse version; this restores the best one seen.",
                         writing: restore, iteration: state.iterations, variants: [], tests: report, state: &state, ledger: ledger)
        return "\(reason); kept the best version, from iteration \(best.iteration)"
    }

    /// An unlocked test's rewrite must still be a test: the file rules, the PRD's examples, and no
    /// test that passes against stubs.
    func unlockedTestProblems(path: String, content: String, state: RunState) async throws -> [String] {
        let module = state.sourcePaths.first.map { TestWriterAgent.importName(for: $0, sourceExtension: profile.sourceExtension) } ?? ""
        let names = TestWriterAgent.publicNames(in: state.design?.interfaces ?? [])
        let problems = (profile.testRules?.violations(in: content, module: module, names: names) ?? [])
            + AcceptanceExamples(criteria: state.prd?.acceptanceCriteria ?? []).contradictions(in: content)
        return problems.isEmpty ? try await vacuousTests(path: path, content: content, state: state) : problems
    }

    /// Test names from the spec's own examples (`test_spec_examples::…`), which rank candidates first.
    var strongEvidencePrefix: String? {
        guard let file = profile.testRules?.examplesFile else { return nil }
        let name = file.split(separator: "/").last.map(String.init) ?? file
        let stem = name.split(separator: ".").dropLast().joined(separator: ".")
        return stem + "::"
    }

    /// Whether a test case is one of the spec's own examples: a test in forge's examples file, or
    /// that file's own collection failure (code that does not import fails every example at once).
    func isSpecExample(_ name: String) -> Bool {
        guard let strong = strongEvidencePrefix else { return false }
        return name.hasPrefix(strong) || name + "::" == strong
    }

    /// The files a fix works on: sources, tests and the test lock.
    func isLoopFile(_ state: RunState) -> (String) -> Bool {
        let paths = Set(state.sourcePaths + state.testPaths + [TestLock.path])
        return { paths.contains($0) }
    }

    /// What the developer is told when its fix is the file exactly as it was, though `example`, one
    /// of the spec's own examples, fails.
    static func unchangedProblem(path: String, example: TestReport.Case, diagnosis: Diagnosis) -> String {
        let how = example.message.map { " (\(CommitMessage.oneLine($0, limit: 160)))" } ?? ""
        return "it is \(path) exactly as it was, so the spec's own example `\(example.name)` fails again\(how); "
            + "change the code as the diagnosis says: \(CommitMessage.oneLine(diagnosis.fix, limit: 300))"
    }
}
