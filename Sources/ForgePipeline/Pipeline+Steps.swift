import ForgeCore
import ForgeGit
import ForgePrompts
import ForgeSandbox
import ForgeStore
import Foundation
import Logging

extension Pipeline {
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

    /// What a fix's candidate writes over the tip, and its report. When the candidate's tree is the
    /// tip's own there is nothing to prove in the sandbox: the tip's last report stands. The tip's, not
    /// the base's: after a revert they differ, and a fix repeating the reverted change leaves the tip.
    func test(candidate files: FileSet, iteration: Int, state: inout RunState,
              timeoutSeconds: Double? = nil) async throws -> (writes: FileSet, report: TestReport) {
        let writes = files.filter { files[$0] != state.files[$0] }
        if writes.isEmpty, let report = state.lastReport { return (writes, report) }
        return (writes, try await verify(changes: writes, iteration: iteration, state: &state, timeoutSeconds: timeoutSeconds))
    }

    /// Tests the parent's tree plus `changes` in the sandbox (within `timeoutSeconds` when given
    /// and shorter than the profile's limit).
    func verify(changes: FileSet, iteration: Int, state: inout RunState, timeoutSeconds: Double? = nil) async throws -> TestReport {
        reporter.stageStarted(.verify, iteration: iteration, detail: "running tests in the sandbox")
        let started = Date()
        let report = try await VerifyWorkspace(repository: repository, verifier: verifier)
            .verify(parent: state.tip, changes: changes, timeoutSeconds: timeoutSeconds)
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

    /// Runs `content` as the test file at `path` against stubs of every module under test (the
    /// profile's stub file), and names the tests that still pass: they check nothing. A file that
    /// does not parse is named too.
    func vacuousTests(path: String, content: String, state: RunState) async throws -> [String] {
        let modules = state.sourcePaths.map { TestWriterAgent.importName(for: $0, sourceExtension: profile.sourceExtension) }
        guard let stubs = profile.testRules?.stubs(forModules: modules) else { return [] }
        var changes = FileSet()
        try changes.set(path, text: content)
        try changes.set(stubs.path, text: stubs.content)
        let report = try await VerifyWorkspace(repository: repository, verifier: verifier).verify(parent: state.tip, changes: changes)
        // The same run shows a file that does not parse; the stubs cannot cause that.
        if let parseError = profile.testRules?.parseError(in: report, testPath: path) {
            return ["\(path) does not parse (\(parseError)); the file may have been cut off: send all of it, every statement complete"]
        }
        let vacuous = report.cases.filter { $0.outcome == .passed }.map(\.name)
        guard !vacuous.isEmpty else { return [] }
        return ["these tests pass even when every function under test just raises NotImplementedError, so they check nothing: "
            + vacuous.joined(separator: ", ") + "; make each of them call the code and assert its exact result"]
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
        // `Tests:` is the report's summary ("no tests ran", a timeout): `forge resume` reads it back.
        var text = "Root cause: \(CommitMessage.oneLine(diagnosis.rootCause))\nFix: \(CommitMessage.oneLine(diagnosis.fix, limit: 600))\nChanged: \(changed.isEmpty ? "nothing" : changed.joined(separator: ", "))\nTests: \(CommitMessage.oneLine(report.summary))"
        if let failing = failureBody(report) { text += "\n\n" + failing }
        return text
    }
}
