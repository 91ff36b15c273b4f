import ForgeCore
import ForgeGit
import ForgeLLM
import ForgePrompts
import ForgeSandbox
import ForgeStore
import Foundation
import Logging

/// Runs `forge bench`: each task in a scratch repository of its own, solved by the whole pipeline or
/// by the single-shot baseline, then graded by its hidden tests — copied into the final tree (with
/// forge's own tests taken out) and run in the sandbox. The model never sees the hidden tests.
public struct BenchRunner: Sendable {
    let model: any ChatModel
    let templates: TemplateLibrary
    let profile: SandboxProfile
    let verifier: TestVerifier
    let store: ForgeStore
    /// Budgets for each pipeline run; the spec is the task's.
    let settings: PipelineSettings
    /// Where each task's repository goes; nil = a temporary folder, removed afterwards.
    let workDirectory: URL?
    let logger: Logger

    public init(model: any ChatModel, templates: TemplateLibrary, profile: SandboxProfile, verifier: TestVerifier,
                store: ForgeStore, settings: PipelineSettings, workDirectory: URL? = nil,
                logger: Logger = Logger(label: "forge.bench")) {
        self.model = model
        self.templates = templates
        self.profile = profile
        self.verifier = verifier
        self.store = store
        self.settings = settings
        self.workDirectory = workDirectory
        self.logger = logger
    }

    /// Runs `tasks`, at most `jobs` at a time, calling `finished` as each one ends.
    ///
    /// Cancelled (Ctrl-C), it starts no more tasks, and a task cut short is left out rather than
    /// counted as failed: an interrupted run is not a measurement.
    /// - Returns: the results of the tasks that ran to the end, in the order of `tasks`.
    public func run(_ tasks: [BenchTask], mode: BenchMode, jobs: Int,
                    finished: @escaping @Sendable (BenchResult) -> Void = { _ in }) async -> [BenchResult] {
        var results: [Int: BenchResult] = [:]
        await withTaskGroup(of: (Int, BenchResult?).self) { group in
            var next = 0
            func launch() {
                guard next < tasks.count, !Task.isCancelled else { return }
                let index = next
                next += 1
                group.addTask {
                    let result = await run(tasks[index], mode: mode)
                    if Task.isCancelled { return (index, nil) }
                    finished(result)
                    return (index, result)
                }
            }
            for _ in 0 ..< max(1, jobs) { launch() }
            for await (index, result) in group {
                results[index] = result
                launch()
            }
        }
        return tasks.indices.compactMap { results[$0] }
    }

    /// One task, never throwing: whatever goes wrong is the task's result.
    func run(_ task: BenchTask, mode: BenchMode) async -> BenchResult {
        let started = Date()
        let root = workDirectory ?? FileManager.default.temporaryDirectory
        let directory = root.appendingPathComponent(workDirectory == nil ? "forge-bench-\(task.id)-\(UUID().uuidString)" : task.id)
        defer { if workDirectory == nil { try? FileManager.default.removeItem(at: directory) } }
        do {
            try? FileManager.default.removeItem(at: directory)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let repository = try GitRepository.initialize(at: directory)
            let solved = try await solve(task, mode: mode, in: repository)
            let hidden = try await grade(task, tip: solved.tip, repository: repository)
            return BenchResult(id: task.id, passed: hidden.allPassed, iterations: solved.iterations, tokens: solved.usage.totalTokens,
                               cost: solved.cost, seconds: Date().timeIntervalSince(started), stopReason: solved.stopReason,
                               hiddenSummary: hidden.summary)
        } catch {
            let reason = (error as? ForgeError)?.message ?? String(describing: error)
            return BenchResult(id: task.id, passed: false, iterations: 0, tokens: 0, cost: 0,
                               seconds: Date().timeIntervalSince(started), stopReason: "error: \(reason)", hiddenSummary: "not run")
        }
    }

    private struct Solved {
        var tip: CommitID?
        var iterations: Int
        var usage: Usage
        var cost: Double
        var stopReason: String
    }

    private func solve(_ task: BenchTask, mode: BenchMode, in repository: GitRepository) async throws -> Solved {
        var taskSettings = settings
        taskSettings.spec = task.spec
        switch mode {
        case .pipeline:
            let pipeline = Pipeline(repository: repository, model: model, templates: templates, profile: profile,
                                    verifier: verifier, store: store, logger: logger)
            let outcome = try await pipeline.run(taskSettings)
            return Solved(tip: outcome.tip, iterations: outcome.iterations, usage: outcome.usage, cost: outcome.cost,
                          stopReason: outcome.stopReason)
        case .singleShot:
            return try await singleShot(task, settings: taskSettings, in: repository)
        }
    }

    /// One developer call; its answer is committed so a single-shot result is reviewable too.
    private func singleShot(_ task: BenchTask, settings: PipelineSettings, in repository: GitRepository) async throws -> Solved {
        let template = try templates.select(role: "single-shot", using: DefaultVariantSelector())
        let path = ArchitectAgent.filesNamed(in: task.spec, sourceExtension: profile.sourceExtension).first
            ?? "solution.\(profile.sourceExtension)"
        let counter = CountingModel(inner: model)
        let conversation = StageConversation(model: counter, stage: .developer, purpose: "single-shot", seed: settings.seed)
        let code = try await SingleShotAgent(template: template, language: profile.name).write(spec: task.spec, path: path,
                                                                                               conversation: conversation)
        let usage = await counter.total
        let runID = RunID.generate()
        let message = CommitMessage(stage: .developer, summary: "single-shot \(path)", runID: runID, iteration: 0,
                                    promptVariants: [template.identifier], model: "\(model.providerName)/\(model.modelName)",
                                    tests: nil, usage: usage)
        let tip = try repository.commit(branch: runID.branchName, parent: nil, writing: try FileSet([path: code]), message: message.text)
        return Solved(tip: tip, iterations: 0, usage: usage, cost: settings.prices?.cost(of: usage) ?? 0, stopReason: "single-shot")
    }

    /// The hidden tests run against the final tree, with forge's own (locked) tests removed so that
    /// only the task's acceptance tests decide.
    private func grade(_ task: BenchTask, tip: CommitID?, repository: GitRepository) async throws -> TestReport {
        guard let tip else {
            return TestReport(cases: [], termination: .exited(0), problem: "the run produced no code to grade")
        }
        let lock = try repository.files(at: tip, paths: [TestLock.path])[TestLock.path]
            .flatMap { try? JSONDecoder().decode(TestLock.self, from: $0) }
        let ownTests = Array(lock?.files.keys ?? [String: String]().keys)
        return try await VerifyWorkspace(repository: repository, verifier: verifier)
            .verify(parent: tip, changes: task.hiddenTests, deleting: ownTests)
    }
}

/// Sums the usage of the calls made through it (for the single-shot baseline, which has no ledger).
actor UsageCounter {
    private(set) var total = Usage.zero
    func add(_ usage: Usage) { total += usage }
}

struct CountingModel: ChatModel {
    let inner: any ChatModel
    let counter = UsageCounter()

    var providerName: String { inner.providerName }
    var modelName: String { inner.modelName }
    var supportsJSONSchema: Bool { inner.supportsJSONSchema }
    var total: Usage { get async { await counter.total } }

    func complete(_ request: ChatRequest, progress: (@Sendable (ChatProgress) -> Void)?) async throws -> ChatResponse {
        let response = try await inner.complete(request, progress: progress)
        await counter.add(response.usage)
        return response
    }
}
