import ArgumentParser
import ForgeCore
import ForgePipeline
import Foundation

/// `forge resume`: continue an interrupted or failed run from its branch.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted or failed run where its branch left off.",
        discussion: """
            Stages already committed on forge/<run-id> are kept; the run continues with the next \
            stage, or with the next fix iteration. Raise --max-iterations to give a failed run more fixes.
            """
    )

    @Argument(help: "The run id (or a unique prefix), as shown by forge log.")
    var run: String

    @Option(name: .customLong("max-iterations"), help: "New fix-iteration budget (default: the run's own).")
    var maxIterations: Int?

    @Option(name: .customLong("token-budget"), help: "Token budget for the whole run, including what it already spent.")
    var tokenBudget: Int?

    @Option(help: ArgumentHelp("The git repository (default: the current directory).", valueName: "path"))
    var repo: String?

    @Flag(help: "Print the result as one JSON object on stdout.")
    var json = false

    @OptionGroup var providerOptions: ProviderOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let reporter = TerminalReporter()
        let assembly = try await PipelineAssembly.assemble(global: global, repositoryPath: repo, language: nil)
        let model = try await assembly.model(providerOptions, reporter: reporter)
        let pipeline = assembly.pipeline(model: model, reporter: reporter)
        let runID = run
        let iterations = maxIterations
        let budget = tokenBudget ?? assembly.config.tokenBudget
        let outcome = try await Interruptible.run { try await pipeline.resume(runID: runID, maxIterations: iterations, tokenBudget: budget) }
        OutcomePrinter(json: json).print(outcome)
        if outcome.exitStatus != .success { throw ExitCode(outcome.exitStatus.rawValue) }
    }
}
