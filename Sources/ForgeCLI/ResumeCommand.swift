import ArgumentParser
import ForgeCore
import ForgePipeline
import ForgeStore
import Foundation

/// `forge resume`: continue an interrupted or failed run from its branch.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted or failed run where its branch left off.",
        discussion: """
            Stages already committed on forge/<run-id> are kept; the run continues with the next \
            stage, or with the next fix iteration. Raise --max-iterations to give a failed run more fixes. \
            Budgets count what the run spent before the resume.
            """
    )

    @Argument(help: "The run id (or a unique prefix), as shown by forge log.")
    var run: String

    @OptionGroup var budget: BudgetOptions

    @OptionGroup var target: RunTargetOptions
    @OptionGroup var providerOptions: ProviderOptions
    @OptionGroup var sandbox: SandboxOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let reporter = TerminalReporter()
        // The run knows its repository and language; flags may still point elsewhere on purpose.
        guard let record = try ForgeStore(path: global.databaseURL()).run(id: run) else {
            throw ForgeError(.notFound, "no run '\(run)' in \(global.databaseURL().path)", hint: "forge log lists the runs")
        }
        let assembly = try await PipelineAssembly.assemble(global: global, repositoryPath: target.repo ?? record.repoPath,
                                                           language: record.language, sandbox: sandbox)
        let model = try await assembly.model(providerOptions, reporter: reporter)
        let pipeline = assembly.pipeline(model: model, reporter: reporter)
        let runID = run
        // Budgets cover the whole run, including what it spent before the resume.
        let limits = ResumeLimits(maxIterations: budget.maxIterations, tokenBudget: budget.tokenBudget ?? assembly.config.tokenBudget,
                                  costBudget: budget.costBudget ?? assembly.config.costBudget, prices: assembly.prices(for: model),
                                  timeBudget: budget.timeBudgetSeconds ?? assembly.config.timeBudgetSeconds,
                                  freshSamples: budget.freshSamples, crossCheck: budget.crossCheck,
                                  fixSamples: budget.fixSamples ?? PipelineSettings.defaultFixSamples)
        let outcome = try await Interruptible.run { try await pipeline.resume(runID: runID, limits: limits) }
        OutcomePrinter(json: target.json).print(outcome)
        if outcome.exitStatus != .success { throw ExitCode(outcome.exitStatus.rawValue) }
    }
}
