import ForgeCore
import ForgeGit
import ForgePrompts
import ForgeSandbox
import ForgeStore
import Foundation
import Logging

extension Pipeline {
    /// The stages in order, then the fix loop. Returns the stop reason.
    func runStages(_ settings: PipelineSettings, state: inout RunState, ledger: UsageLedger) async throws -> String {
        let spec = settings.spec
        let initial = Sampling(temperature: 0, seed: settings.seed)

        // PM → .forge/prd.json
        if state.prd == nil {
            let pmTemplate = try template("pm")
            let prd = try await runStage(.pm, iteration: 0, state: state, ledger: ledger, detail: "writing requirements", sampling: initial) { conversation in
                try await PMAgent(template: pmTemplate).writePRD(spec: spec, language: self.profile.name, conversation: conversation)
            }
            state.prd = prd
            try await commit(.pm, summary: "requirements for \"\(prd.title)\"",
                             writing: try FileSet([".forge/spec.md": spec.hasSuffix("\n") ? spec : spec + "\n", ".forge/prd.json": prd.prettyJSON]),
                             variants: [pmTemplate.identifier], tests: nil, state: &state, ledger: ledger)
        }
        let prd = state.prd!

        // Architect → .forge/design.json
        if state.design == nil {
            let architectTemplate = try template("architect")
            let design = try await runStage(.architect, iteration: 0, state: state, ledger: ledger, detail: "designing", sampling: initial) { conversation in
                try await ArchitectAgent(template: architectTemplate, profile: self.profile)
                    .writeDesign(spec: spec, prd: prd, conversation: conversation)
            }
            state.design = design
            state.sourcePaths = design.files.map(\.path)
            try await commit(.architect, summary: "design with \(design.files.count) file(s): \(state.sourcePaths.joined(separator: ", "))",
                             writing: try FileSet([".forge/design.json": design.prettyJSON]),
                             variants: [architectTemplate.identifier], tests: nil, state: &state, ledger: ledger)
        }
        let design = state.design!

        // Developer → the source files, one call each.
        if !state.completedStages.contains(.developer) {
            let developerTemplate = try template("developer")
            var sources = FileSet()
            for file in design.files {
                let code = try await runStage(.developer, iteration: 0, state: state, ledger: ledger, detail: "writing \(file.path)", sampling: initial) { conversation in
                    try await DeveloperAgent(template: developerTemplate, language: self.profile.name, rules: self.profile.testRules)
                        .writeFile(file, spec: spec, prd: prd, design: design, conversation: conversation)
                }
                try sources.set(file.path, text: code)
            }
            try await commit(.developer, summary: "write \(sources.paths.joined(separator: ", "))", writing: sources,
                             variants: [developerTemplate.identifier], tests: nil, state: &state, ledger: ledger)
        }

        // Test writer → locked tests, then the first verify.
        if !state.completedStages.contains(.tests) {
            let testsTemplate = try template("tests")
            let writer = TestWriterAgent(template: testsTemplate, profile: profile)
            var tests = FileSet()
            for file in design.files {
                let written = try await runStage(.tests, iteration: 0, state: state, ledger: ledger, detail: "writing tests for \(file.path)", sampling: initial) { conversation in
                    try await writer.writeTests(for: file, spec: spec, prd: prd, design: design, conversation: conversation)
                }
                try tests.set(written.path, text: written.content)
            }
            state.testPaths = tests.paths
            state.lockedTests = Dictionary(uniqueKeysWithValues: tests.paths.map { ($0, SHA256.hex(tests[$0]!)) })
            try tests.set(TestLock.path, text: TestLock(files: state.lockedTests).json)
            let firstReport = try await verify(changes: tests, iteration: 0, state: &state)
            try await commit(.tests, summary: "\(state.testPaths.joined(separator: ", ")) (\(firstReport.trailerValue))",
                             body: Self.failureBody(firstReport), writing: tests,
                             variants: [testsTemplate.identifier], tests: firstReport, state: &state, ledger: ledger)
        } else if state.lastReport == nil {
            // Resuming after the tests were written: re-run them on the tip for a full report.
            _ = try await verify(changes: FileSet(), iteration: state.iterations, state: &state)
        }
        if state.lastReport?.allPassed == true { return "tests pass" }

        // The fix loop.
        let analystTemplate = try template("analyst")
        let fixTemplate = try template("fix")
        for iteration in stride(from: state.iterations + 1, through: settings.maxIterations, by: 1) {
            try Task.checkCancellation()
            state.iterations = iteration
            let report = state.lastReport!
            let snapshot = state
            let sampling = Sampling(temperature: FixAttempt.temperature(forIteration: iteration),
                                    seed: settings.seed.map { $0 + iteration - 1 })
            // Inside the loop an unusable answer costs one iteration, not the run: the next iteration
            // samples again, and the work so far stays on the branch either way.
            let diagnosis: Diagnosis
            do {
                diagnosis = try await runStage(.analyst, iteration: iteration, state: state, ledger: ledger, detail: report.summary,
                                               sampling: sampling) { conversation in
                    try await AnalystAgent(template: analystTemplate).diagnose(
                        report: report, prd: prd, design: design, files: snapshot.files, sourcePaths: snapshot.sourcePaths,
                        testPaths: snapshot.testPaths, attempts: snapshot.attempts, conversation: conversation)
                }
            } catch let error as ForgeError where error.code == .stageFailed {
                diagnosis = Diagnosis(failingTests: report.failures.map(\.name),
                                      rootCause: "unknown: the analyst's answer was unusable", filesToChange: snapshot.sourcePaths,
                                      fix: "make the failing tests pass")
                logger.warning("analyst answer unusable; fixing without a diagnosis", metadata: ["reason": "\(error.message)"])
            }
            var changes = FileSet()
            for path in diagnosis.filesToChange {
                do {
                    let code = try await runStage(.fix, iteration: iteration, state: state, ledger: ledger, detail: "fixing \(path)",
                                                  sampling: sampling) { conversation in
                        try await DeveloperFixAgent(template: fixTemplate, language: self.profile.name, rules: self.profile.testRules).fix(
                            path: path, files: snapshot.files, diagnosis: diagnosis, report: report, prd: prd, design: design,
                            testPaths: snapshot.testPaths, attempts: snapshot.attempts, conversation: conversation)
                    }
                    if code != snapshot.files.text(path) { try changes.set(path, text: code) }
                } catch let error as ForgeError where error.code == .stageFailed {
                    logger.warning("fix answer unusable; \(path) left as it was", metadata: ["reason": "\(error.message)"])
                }
            }
            try checkLocks(changes, state: state)
            // An unchanged tree gives the same result: don't spend a sandbox run proving it.
            let fixReport = changes.isEmpty ? report : try await verify(changes: changes, iteration: iteration, state: &state)
            let summary = changes.isEmpty ? "no change (\(diagnosis.rootCause))" : diagnosis.rootCause
            try await commit(.fix, summary: summary, body: Self.diagnosisBody(diagnosis, changed: changes.paths, report: fixReport),
                             writing: changes, iteration: iteration,
                             variants: [analystTemplate.identifier, fixTemplate.identifier], tests: fixReport, state: &state, ledger: ledger)
            if fixReport.allPassed { return "tests pass" }
            state.attempts.append(FixAttempt(iteration: iteration, changed: changes.paths, tests: fixReport.trailerValue,
                                             rootCause: CommitMessage.oneLine(diagnosis.rootCause)))
        }
        let fixes = settings.maxIterations
        return "iteration budget spent (\(fixes) fix\(fixes == 1 ? "" : "es")); tests: \(state.lastReport?.summary ?? "not run")"
    }

    /// Runs one agent call with a metered model, recording a stage event whatever happens.
    func runStage<T>(_ stage: Stage, iteration: Int, state: RunState, ledger: UsageLedger, detail: String,
                     sampling: Sampling = Sampling(), _ body: (StageConversation) async throws -> T) async throws -> T {
        reporter.stageStarted(stage, iteration: iteration, detail: detail)
        let started = Date()
        let before = await ledger.total
        let metered = MeteredModel(inner: model, stage: stage, iteration: iteration, runID: state.runID,
                                   ledger: ledger, store: store, reporter: reporter)
        let purpose = iteration == 0 ? stage.rawValue : "\(stage.rawValue)-\(iteration)"
        do {
            let conversation = StageConversation(model: metered, stage: stage, purpose: purpose, seed: sampling.seed,
                                                 temperature: sampling.temperature)
            let result = try await body(conversation)
            let spent = await ledger.total
            recordEvent(stage, iteration: iteration, ok: true, state: state, started: started,
                        usage: Usage(promptTokens: spent.promptTokens - before.promptTokens,
                                     completionTokens: spent.completionTokens - before.completionTokens),
                        detail: detail)
            return result
        } catch {
            recordEvent(stage, iteration: iteration, ok: false, state: state, started: started, usage: .zero,
                        detail: "\(detail): \(error)")
            throw error
        }
    }

    /// Tests the parent's tree plus `changes` in the sandbox.
    func verify(changes: FileSet, iteration: Int, state: inout RunState) async throws -> TestReport {
        reporter.stageStarted(.verify, iteration: iteration, detail: "running tests in the sandbox")
        let started = Date()
        let report = try await VerifyWorkspace(repository: repository, verifier: verifier).verify(parent: state.tip, changes: changes)
        state.lastReport = report
        recordEvent(.verify, iteration: iteration, ok: report.allPassed, state: state, started: started, usage: .zero,
                    detail: report.summary, report: report)
        reporter.stageFinished(.verify, iteration: iteration, summary: report.summary, commit: nil)
        return report
    }

    /// Commits `writing` on the run's branch with the contract's trailers.
    func commit(_ stage: Stage, summary: String, body: String? = nil, writing: FileSet, iteration: Int = 0,
                variants: [String], tests: TestReport?, state: inout RunState, ledger: UsageLedger) async throws {
        let usage = await ledger.takeSegment()
        let message = CommitMessage(stage: stage, summary: summary, body: body, runID: state.runID, iteration: iteration,
                                    promptVariants: variants, model: modelLabel, tests: tests, usage: usage)
        let id = try repository.commit(branch: state.branch, parent: state.tip, writing: writing, message: message.text)
        state.tip = id
        state.commits.append(id)
        state.completedStages.insert(stage)
        state.files = state.files.merging(writing)
        reporter.stageFinished(stage, iteration: iteration, summary: summary, commit: id)
    }

    /// Refuses any change to a locked test file: tests are evidence, not something a fix may edit.
    func checkLocks(_ changes: FileSet, state: RunState) throws {
        for path in changes.paths where state.lockedTests[path] != nil || path == TestLock.path {
            throw ForgeError(.stageFailed, "the fix tried to change the locked test file \(path)",
                             hint: "tests are locked after the test stage; a fix must change the code, not the tests")
        }
    }

    func recordEvent(_ stage: Stage, iteration: Int, ok: Bool, state: RunState, started: Date, usage: Usage,
                     detail: String, report: TestReport? = nil) {
        let event = StageEvent(
            runID: state.runID.rawValue, stage: stage.rawValue, iteration: iteration, status: ok ? "ok" : "failed",
            commit: state.tip?.hex, testsPassed: report?.passed, testsFailed: report.map { $0.failed + $0.errors },
            promptTokens: usage.promptTokens, completionTokens: usage.completionTokens,
            detail: String(detail.prefix(500)), startedAt: started, finishedAt: Date())
        do { _ = try store.appendStageEvent(event) } catch { logger.warning("could not record a stage event: \(error)") }
    }

    static func failureBody(_ report: TestReport) -> String? {
        let lines = report.failures.prefix(5).map { "- \($0.name): \(CommitMessage.oneLine($0.message ?? "failed", limit: 160))" }
        if lines.isEmpty { return report.problem.map { "Tests did not run cleanly: \($0)" } }
        return "Failing:\n" + lines.joined(separator: "\n")
    }

    static func diagnosisBody(_ diagnosis: Diagnosis, changed: [String], report: TestReport) -> String {
        var text = "Root cause: \(CommitMessage.oneLine(diagnosis.rootCause))\nFix: \(CommitMessage.oneLine(diagnosis.fix, limit: 600))\nChanged: \(changed.isEmpty ? "nothing" : changed.joined(separator: ", "))"
        if let failing = failureBody(report) { text += "\n\n" + failing }
        return text
    }
}
