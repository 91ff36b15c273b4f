import ForgeCore
import ForgeGit
import ForgeLLM
import ForgePipeline
import ForgePrompts
import ForgeSandbox
import ForgeStore
import Foundation
import Logging

/// The composition root: resolves paths, config, repository, profile, sandbox, store, templates and
/// provider into a ready ``Pipeline``. Checks that cost nothing (repository, config, sandbox) run
/// before the one that may take a while (starting the local model).
struct PipelineAssembly {
    let repository: GitRepository
    let config: ForgeConfig
    let store: ForgeStore
    let profile: SandboxProfile
    let templates: TemplateLibrary
    let verifier: TestVerifier
    let paths: ForgePaths
    let logger: Logger

    /// - Parameters:
    ///   - repositoryPath: where to look for the git repository (default: the current directory).
    ///   - language: the sandbox profile, or nil for config / detection.
    ///   - sandbox: the `--sandbox` choice (nil: bubblewrap, else a working container engine).
    static func assemble(global: GlobalOptions, repositoryPath: String?, language: String?,
                         sandbox: SandboxOptions) async throws -> PipelineAssembly {
        let paths = global.paths
        let logger = global.logger("forge")
        guard let templatesDirectory = paths.templates, let sandboxesDirectory = paths.sandboxes else {
            throw ForgeError(.config, "cannot find forge's Templates/ and Sandboxes/ folders next to the forge binary",
                             hint: "set FORGE_RESOURCES to the folder holding them (the forge source checkout, or <prefix>/share/forge)")
        }
        let start = URL(fileURLWithPath: repositoryPath ?? FileManager.default.currentDirectoryPath)
        let repository = try GitRepository.discover(startingAt: start)
        let forgeDirectory = repository.workdir?.appendingPathComponent(".forge", isDirectory: true)
        let config = try ForgeConfig.load(user: paths.configHome.appendingPathComponent("config.toml"),
                                          repository: forgeDirectory?.appendingPathComponent("config.toml"))
        let profileName = language ?? config.language ?? "python"
        let profile = try SandboxProfile.load(named: profileName, in: sandboxesDirectory)
        // Fails closed (exit 4) naming the cause and the fix when no backend works.
        let runner = try await sandbox.runner(image: profile.image, logger: logger)
        let store = try ForgeStore(path: global.databaseURL())
        let overrides = forgeDirectory?.appendingPathComponent("templates", isDirectory: true)
        let templates = try TemplateLibrary(builtIn: templatesDirectory, overrides: overrides)
        let verifier = TestVerifier(profile: profile, runner: runner, logger: logger)
        return PipelineAssembly(repository: repository, config: config, store: store, profile: profile,
                                templates: templates, verifier: verifier, paths: paths, logger: logger)
    }

    func model(_ options: ProviderOptions, reporter: TerminalReporter) async throws -> any ChatModel {
        let factory = ProviderFactory(config: config, paths: paths, environment: ProcessInfo.processInfo.environment,
                                      logger: logger, status: { reporter.note($0) })
        return try await factory.make(.init(name: options.provider ?? config.provider ?? "local", model: options.model,
                                            baseURL: options.baseURL, cassette: options.cassette, record: options.record))
    }

    func prices(for model: any ChatModel) -> ModelPrices? {
        ProviderFactory(config: config, paths: paths, environment: [:], logger: logger, status: { _ in })
            .prices(forProvider: model.providerName)
    }

    func pipeline(model: any ChatModel, reporter: TerminalReporter) -> Pipeline {
        Pipeline(repository: repository, model: model, templates: templates, profile: profile, verifier: verifier,
                 store: store, reporter: reporter, logger: logger)
    }
}
