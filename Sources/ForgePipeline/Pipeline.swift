import ForgeCore
import ForgeGit
import ForgeLLM
import ForgePrompts
import ForgeSandbox
import ForgeStore
import Foundation
import Logging

/// Runs one spec through the stages — PM, architect, developer, test writer, verify, then analyst and
/// fix until the tests pass or the budget is spent — committing each stage to `forge/<run-id>`.
///
/// Stages never touch git, the sandbox or the store; this type does, so every side effect of a run
/// is in one place. The user's working tree, index and HEAD are never written: commits are built in
/// memory by ``GitRepository/commit(branch:parent:writing:deleting:message:author:)``.
public final class Pipeline {
    let repository: GitRepository
    let model: any ChatModel
    let templates: TemplateLibrary
    let selector: any VariantSelector
    let profile: SandboxProfile
    let verifier: TestVerifier
    let store: ForgeStore
    let reporter: any PipelineReporter
    let logger: Logger

    public init(repository: GitRepository, model: any ChatModel, templates: TemplateLibrary,
                selector: any VariantSelector = DefaultVariantSelector(), profile: SandboxProfile,
                verifier: TestVerifier, store: ForgeStore, reporter: any PipelineReporter = SilentReporter(),
                logger: Logger = Logger(label: "forge.pipeline")) {
        self.repository = repository
        self.model = model
        self.templates = templates
        self.selector = selector
        self.profile = profile
        self.verifier = verifier
        self.store = store
        self.reporter = reporter
        self.logger = logger
    }

    var modelLabel: String { "\(model.providerName)/\(model.modelName)" }

    /// Runs the pipeline.
    ///
    /// - Returns: how the run ended. Failures after the run started (a provider gone, a stage whose
    ///   output stayed unusable, an interrupt) are part of the outcome, recorded in the store, with
    ///   the branch holding every commit made so far.
    /// - Throws: ``ForgeError`` only for problems found before anything was recorded (bad base
    ///   revision, branch name taken, unreadable templates).
    public func run(_ settings: PipelineSettings, runID: RunID = .generate()) async throws -> RunOutcome {
        let base: CommitID? = try settings.baseRevision.map { try repository.resolve($0) } ?? repository.head()
        if try repository.branchTip(runID.branchName) != nil {
            throw ForgeError(.usage, "branch \(runID.branchName) already exists", hint: "start a new run; run ids are unique per second")
        }
        for role in ["pm", "architect", "developer", "tests", "analyst", "fix"] { _ = try template(role) }

        let record = RunRecord(
            id: runID.rawValue, spec: settings.spec, repoPath: repository.workdir?.path ?? repository.gitDirectory.path,
            branch: runID.branchName, baseCommit: base?.hex ?? "", language: profile.name,
            provider: model.providerName, model: model.modelName, status: .running,
            maxIterations: settings.maxIterations, startedAt: Date())
        try store.insertRun(record)
        return await execute(settings, state: RunState(runID: runID, base: base), record: record, spent: .zero)
    }

    /// Continues an interrupted or failed run from its branch: stages with a commit are skipped, the
    /// fix loop continues from the last fix iteration, within the (possibly new) iteration budget.
    ///
    /// - Throws: ``ForgeError`` when the run is unknown, belongs to another repository, or already passed.
    public func resume(runID: String, limits: ResumeLimits = ResumeLimits()) async throws -> RunOutcome {
        guard var record = try store.run(id: runID) else {
            throw ForgeError(.notFound, "no run '\(runID)' in the forge database", hint: "forge log lists the runs")
        }
        if record.status == .passed {
            throw ForgeError(.usage, "run \(record.id) already passed; nothing to resume", hint: "review it with forge log \(record.id)")
        }
        let state = try RunStateLoader(repository: repository).load(record)
        for role in ["pm", "architect", "developer", "tests", "analyst", "fix"] { _ = try template(role) }
        let earlierSeconds = record.finishedAt.map { $0.timeIntervalSince(record.startedAt) } ?? 0
        record.status = .running
        record.maxIterations = limits.maxIterations ?? record.maxIterations
        record.finishedAt = nil
        try store.updateRun(record)
        var settings = PipelineSettings(spec: record.spec, maxIterations: record.maxIterations, tokenBudget: limits.tokenBudget,
                                        baseRevision: record.baseCommit.isEmpty ? nil : record.baseCommit,
                                        costBudget: limits.costBudget, prices: limits.prices, timeBudget: limits.timeBudget)
        if let samples = limits.freshSamples { settings.freshSamples = samples }
        settings.crossCheck = limits.crossCheck
        if let samples = limits.fixSamples { settings.fixSamples = samples }
        return await execute(settings, state: state, record: record,
                             spent: Usage(promptTokens: record.promptTokens, completionTokens: record.completionTokens),
                             earlierSeconds: earlierSeconds)
    }

    /// Runs the stages from `state` on, then records and reports how the run ended.
    func execute(_ settings: PipelineSettings, state initial: RunState, record initialRecord: RunRecord, spent: Usage,
                 earlierSeconds: Double = 0) async -> RunOutcome {
        var record = initialRecord
        var state = initial
        let runID = state.runID
        reporter.runStarted(runID: runID, branch: state.branch, base: state.base, language: profile.name, model: modelLabel)
        let ledger = UsageLedger(budget: settings.tokenBudget, spent: spent, costBudget: settings.costBudget,
                                 prices: settings.prices, timeBudget: settings.timeBudget, earlierSeconds: earlierSeconds)
        var status = RunOutcome.Status.failed
        var stopReason: String
        var failure: ForgeError?
        do {
            stopReason = try await runStages(settings, state: &state, ledger: ledger)
            status = state.lastReport?.allPassed == true ? .passed : .failed
        } catch let exhausted as BudgetExhausted {
            stopReason = exhausted.description
        } catch is CancellationError {
            status = .interrupted
            stopReason = "interrupted"
            failure = ForgeError(.interrupted, "run \(runID) was interrupted", hint: "resume it with: forge resume \(runID)")
        } catch let error as ForgeError {
            status = error.code == .interrupted ? .interrupted : .error
            stopReason = error.message
            failure = error
        } catch {
            status = .error
            stopReason = String(describing: error)
            failure = ForgeError(.stageFailed, "run \(runID) failed: \(error)")
        }

        if status == .passed { remember(state) }
        let usage = await ledger.total
        let outcome = RunOutcome(
            runID: runID, branch: state.branch, base: state.base, status: status, stopReason: stopReason,
            iterations: state.iterations, lastReport: state.lastReport, usage: usage, cost: await ledger.cost,
            seconds: await ledger.elapsed, commits: state.commits, tip: state.tip, error: failure)
        record.status = RunStatus(rawValue: status.rawValue) ?? .error
        record.stopReason = stopReason
        record.iterations = state.iterations
        record.testsPassed = state.lastReport?.passed
        record.testsFailed = state.lastReport.map { $0.failed + $0.errors }
        record.promptTokens = usage.promptTokens
        record.completionTokens = usage.completionTokens
        record.costUSD = outcome.cost
        record.finishedAt = Date()
        record.exitCode = Int(outcome.exitStatus.rawValue)
        do { try store.updateRun(record) } catch { logger.warning("could not record the run's end: \(error)") }
        reporter.runFinished(outcome)
        return outcome
    }

    /// Adds a green run to the memory of solved specs. Bookkeeping: a failure here is logged, not fatal.
    func remember(_ state: RunState) {
        let files = state.files.filter { state.sourcePaths.contains($0) || state.testPaths.contains($0) }
        let solution = SolvedSpec(
            runID: state.runID.rawValue, spec: (state.files.text(".forge/spec.md") ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            language: profile.name,
            prd: state.files.text(".forge/prd.json") ?? "", design: state.files.text(".forge/design.json") ?? "",
            files: Dictionary(uniqueKeysWithValues: files.paths.compactMap { path in files.text(path).map { (path, $0) } }))
        do { try store.remember(solution) } catch { logger.warning("could not remember the solution: \(error)") }
    }

    func template(_ role: String) throws -> PromptTemplate {
        let variants = templates.variants(for: role)
        guard !variants.isEmpty else {
            throw ForgeError(.config, "no prompt template for the \(role) role",
                             hint: "forge's Templates/\(role)/default.mustache is missing; reinstall forge or set FORGE_RESOURCES")
        }
        return selector.select(role: role, from: variants)
    }
}
