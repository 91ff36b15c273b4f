import ArgumentParser
import ForgeCore
import ForgeLLM
import ForgePipeline
import ForgePrompts
import ForgeSandbox
import ForgeStore
import Foundation
import TOMLKit

/// `forge bench`: how often forge gets a task set right, and what it costs, against a baseline.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure forge on a task set: the whole pipeline, or the single-shot baseline it must beat.",
        discussion: """
            TASKS_DIR holds one folder per task: spec.md (all the model sees), task.toml (language = "python") \
            and hidden/ (acceptance tests the model never sees). Each task runs in a scratch repository; \
            afterwards its hidden tests are copied into the final tree, forge's own tests removed, and run \
            in the sandbox. A task passes only when they all pass.

            --mode single-shot makes one developer call from the spec: no requirements, design, tests or \
            fixes. Runs use a scratch database unless --db is given, so nothing from earlier runs (the memory \
            of solved specs) reaches this one; within a run, tasks solved earlier are remembered as in normal use.

            Make the development set: scripts/make-humaneval-tasks.py ../shared/bench/humaneval-dev.jsonl DIR
            """
    )

    @Argument(help: "The folder of task folders.")
    var tasksDirectory: String

    @Option(help: "pipeline (default) or single-shot.")
    var mode: String = BenchMode.pipeline.rawValue

    @Option(help: "Run only the first N tasks (in natural order of their ids).")
    var limit: Int?

    @Option(help: "Tasks run at the same time (a local model serves one request at a time; more helps remote providers).")
    var jobs = 1

    @Option(name: .customLong("work-dir"), help: ArgumentHelp("Keep each task's repository in DIR/<task> for review (default: removed).", valueName: "dir"))
    var workDirectory: String?

    @Flag(help: "Print one JSON object: {tasks: [...], summary: {...}}.")
    var json = false

    @OptionGroup var budget: BudgetOptions
    @OptionGroup var sandbox: SandboxOptions
    @OptionGroup var providerOptions: ProviderOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard BenchMode(rawValue: mode) != nil else { throw ValidationError("--mode must be pipeline or single-shot, not '\(mode)'") }
        if let limit, limit <= 0 { throw ValidationError("--limit must be positive") }
        if jobs <= 0 { throw ValidationError("--jobs must be positive") }
    }

    func run() async throws {
        let mode = BenchMode(rawValue: mode)!
        var tasks = try BenchTaskLoader.load(URL(fileURLWithPath: tasksDirectory))
        if let limit { tasks = Array(tasks.prefix(limit)) }
        let languages = Set(tasks.map(\.language))
        guard languages.count == 1, let language = languages.first else {
            throw ForgeError(.usage, "the selected tasks mix languages (\(languages.sorted().joined(separator: ", ")))",
                             hint: "bench one language at a time: put each language's tasks in a folder of its own")
        }

        let paths = global.paths
        let logger = global.logger("forge.bench")
        let resources = try ForgeResources(paths)
        let config = try ForgeConfig.load(user: paths.configHome.appendingPathComponent("config.toml"), repository: nil)
        let profile = try SandboxProfile.load(named: language, in: resources.sandboxes)
        // Before any model call: a bench without a sandbox it can grade in would only burn tokens.
        let sandboxRunner = try await sandbox.runner(image: profile.image, logger: logger)
        let templates = try TemplateLibrary(builtIn: resources.templates)
        let reporter = TerminalReporter()
        let factory = ProviderFactory(config: config, paths: paths, environment: ProcessInfo.processInfo.environment,
                                      logger: logger, status: { reporter.note($0) })
        let model = try await factory.make(.init(name: providerOptions.provider ?? config.provider ?? "local", model: providerOptions.model,
                                                 baseURL: providerOptions.baseURL, cassette: providerOptions.cassette,
                                                 record: providerOptions.record))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("forge-bench-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch.path + suffix) } }
        let store = try ForgeStore(path: global.db.map { URL(fileURLWithPath: $0) } ?? scratch)
        let settings = PipelineSettings(spec: "", maxIterations: budget.maxIterations ?? config.maxIterations ?? 4,
                                        tokenBudget: budget.tokenBudget, costBudget: budget.costBudget,
                                        prices: factory.prices(forProvider: model.providerName), timeBudget: budget.timeBudgetSeconds,
                                        freshSamples: budget.freshSamples ?? PipelineSettings.defaultFreshSamples, crossCheck: budget.crossCheck,
                                        fixSamples: budget.fixSamples ?? PipelineSettings.defaultFixSamples)
        let runner = BenchRunner(model: model, templates: templates, profile: profile,
                                 verifier: TestVerifier(profile: profile, runner: sandboxRunner, logger: logger),
                                 store: store, settings: settings,
                                 workDirectory: workDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }, logger: logger)

        reporter.note("bench: \(tasks.count) task(s), mode \(mode.rawValue), \(model.providerName)/\(model.modelName)")
        let done = LockedCounter()
        let total = tasks.count
        let results = try await Interruptible.run {
            await runner.run(tasks, mode: mode, jobs: jobs) { result in
                let count = done.increment()
                // Everything the table holds, so a long bench cut short still leaves its figures in the log.
                reporter.note("[\(count)/\(total)] \(result.id): \(result.passed ? "passed" : "failed") — \(result.hiddenSummary); "
                    + "\(result.iterations) iteration(s), \(result.tokens) tokens, \(String(format: "%.0f", result.seconds))s; \(result.stopReason)")
            }
        }
        let report = BenchReport(mode: mode, results: results)
        FileHandle.standardOutput.write(Data((json ? report.json : report.table).utf8))
        if results.count < tasks.count {
            // What finished is still a measurement of those tasks; say plainly that it is partial.
            reporter.note("bench interrupted: the report covers the \(results.count) of \(tasks.count) task(s) that finished")
            throw ExitCode(ExitStatus.interrupted.rawValue)
        }
    }
}
