import ArgumentParser
import ForgeCore
import ForgePipeline
import Foundation

/// `forge build`: run the whole pipeline on a spec.
struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Write requirements, design, code and tests for a spec, and fix the code until the tests pass.",
        discussion: """
            Every stage is committed to a new branch forge/<run-id> starting at HEAD (or --base). \
            Your working tree, index and HEAD are not touched, even when they hold uncommitted work. \
            Progress goes to stderr, the result to stdout. Exit status: 0 tests pass, 1 tests still \
            failing, 2 usage, 3 no model, 4 no sandbox, 5 interrupted.

            Examples:
              forge build "A Python module slug.py with slugify(text)"
              forge build --spec-file SPEC.md --max-iterations 4
              forge build --provider openai "…"   (needs OPENAI_API_KEY)
              forge build --json "…" > result.json
            """
    )

    @Argument(help: "What to build, in words. Or use --spec-file.")
    var spec: String?

    @Option(name: .customLong("spec-file"), help: ArgumentHelp("Read the spec from a file.", valueName: "path"))
    var specFile: String?

    @Option(help: ArgumentHelp("Language profile from Sandboxes/ (default: config, else python).", valueName: "name"))
    var language: String?

    @OptionGroup var budget: BudgetOptions

    @Option(help: ArgumentHelp("Start the branch here instead of HEAD.", valueName: "revision"))
    var base: String?

    @OptionGroup var target: RunTargetOptions
    @OptionGroup var providerOptions: ProviderOptions
    @OptionGroup var sandbox: SandboxOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if spec != nil && specFile != nil { throw ValidationError("give the spec as an argument or with --spec-file, not both") }
        if spec == nil && specFile == nil { throw ValidationError("missing the spec: forge build \"what to build\" (or --spec-file PATH)") }
    }

    func run() async throws {
        let specText = try readSpec()
        let reporter = TerminalReporter(quiet: false)
        let assembly = try await PipelineAssembly.assemble(global: global, repositoryPath: target.repo, language: language,
                                                           sandbox: sandbox)
        let model = try await assembly.model(providerOptions, reporter: reporter)
        let settings = PipelineSettings(
            spec: specText, maxIterations: budget.maxIterations ?? assembly.config.maxIterations ?? 4,
            tokenBudget: budget.tokenBudget ?? assembly.config.tokenBudget, baseRevision: base,
            costBudget: budget.costBudget ?? assembly.config.costBudget, prices: assembly.prices(for: model),
            timeBudget: budget.timeBudgetSeconds ?? assembly.config.timeBudgetSeconds,
            freshSamples: budget.freshSamples ?? PipelineSettings.defaultFreshSamples, crossCheck: budget.crossCheck,
            fixSamples: budget.fixSamples ?? PipelineSettings.defaultFixSamples)
        let pipeline = assembly.pipeline(model: model, reporter: reporter)
        let outcome = try await Interruptible.run { try await pipeline.run(settings) }
        OutcomePrinter(json: target.json).print(outcome)
        if outcome.exitStatus != .success { throw ExitCode(outcome.exitStatus.rawValue) }
    }

    private func readSpec() throws -> String {
        let text: String
        if let specFile {
            do { text = try String(contentsOfFile: specFile, encoding: .utf8) } catch {
                throw ForgeError(.usage, "cannot read the spec file \(specFile): \(error.localizedDescription)",
                                 hint: "check the path, or pass the spec as an argument")
            }
        } else {
            text = spec ?? ""
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ForgeError(.usage, "the spec is empty", hint: "describe what to build, e.g. forge build \"A Python module …\"")
        }
        return text
    }
}
