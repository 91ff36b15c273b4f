import ForgeCore
import ForgeLLM
import ForgePipeline
import Foundation
import Logging

/// Turns the provider the user chose (flag, config, or the default `local`) into a ``ChatModel``.
///
/// Built in: `local` (the embedded llama.cpp model, started on demand), `openai` (api.openai.com,
/// key from `OPENAI_API_KEY`), `replay` (a recorded cassette). Any `[providers.NAME]` table in a
/// config file adds an OpenAI-compatible provider, or overrides a built-in one's settings.
struct ProviderFactory {
    struct Choice {
        var name: String
        var model: String?
        var baseURL: String?
        var cassette: String?
        var record: String?
    }

    let config: ForgeConfig
    let paths: ForgePaths
    let environment: [String: String]
    let logger: Logger
    let status: @Sendable (String) -> Void

    static let builtIn: [String: ForgeConfig.Provider] = [
        "openai": .init(baseURL: "https://api.openai.com/v1", model: "gpt-4o-mini", apiKeyEnv: "OPENAI_API_KEY", jsonMode: "openai",
                        pricePrompt: 0.15, priceCompletion: 0.60),
        "ollama": .init(baseURL: "http://127.0.0.1:11434/v1", model: "qwen2.5-coder:1.5b", jsonMode: "none"),
    ]
    static let localModelName = "qwen2.5-coder-1.5b-instruct"

    /// The prices of a provider's model, from config or the built-in table; nil when free or unknown
    /// (the local model and replays cost nothing).
    func prices(forProvider name: String) -> ModelPrices? {
        let settings = Self.builtIn[name].map { $0.overlaid(with: config.providers[name] ?? .init()) } ?? config.providers[name]
        guard let prompt = settings?.pricePrompt, let completion = settings?.priceCompletion else { return nil }
        return ModelPrices(prompt: prompt, completion: completion)
    }

    func make(_ choice: Choice) async throws -> any ChatModel {
        let model = try await makeBase(choice)
        guard let record = choice.record else { return model }
        return try RecordingModel(wrapping: model, cassette: URL(fileURLWithPath: record))
    }

    private func makeBase(_ choice: Choice) async throws -> any ChatModel {
        switch choice.name {
        case "replay":
            guard let cassette = choice.cassette else {
                throw ForgeError(.usage, "the replay provider needs a cassette", hint: "pass --cassette FILE (see Fixtures/cassettes/)")
            }
            return try ReplayModel(cassette: URL(fileURLWithPath: cassette), rebind: environment["FORGE_CASSETTE_REBIND"] == "1")
        case "local":
            return try await makeLocal(choice)
        default:
            return try makeRemote(choice)
        }
    }

    private func makeLocal(_ choice: Choice) async throws -> any ChatModel {
        let settings = config.providers["local"] ?? ForgeConfig.Provider()
        var baseURL = choice.baseURL ?? settings.baseURL
        if baseURL == nil {
            let server = LocalModelServer(layout: LocalModelLayout(dataHome: paths.dataHome), logger: logger)
            guard LocalModelInstaller(layout: LocalModelLayout(dataHome: paths.dataHome), logger: logger, progress: { _ in }).isInstalled() else {
                throw ForgeError(.providerUnreachable, "the embedded local model is not installed",
                                 hint: "run `forge model install` once (builds llama.cpp and fetches 1.1 GB of weights, 10–15 min), or choose another provider with --provider")
            }
            // Say "starting" only when forge will start one: most runs reuse a running server.
            if await server.status() == .stopped {
                status("starting the local model server (first start loads 1.1 GB of weights)…")
            }
            baseURL = try await server.start(progress: { status($0) }).absoluteString
        }
        return OpenAICompatibleModel(
            configuration: OpenAICompatibleConfiguration(
                providerName: "local", baseURL: URL(string: baseURL!)!, model: choice.model ?? settings.model ?? Self.localModelName,
                apiKey: nil, jsonMode: .llamaCpp, requestTimeout: settings.requestTimeout ?? 300, maxRetries: settings.maxRetries ?? 3),
            logger: logger)
    }

    private func makeRemote(_ choice: Choice) throws -> any ChatModel {
        guard let known = Self.builtIn[choice.name].map({ $0.overlaid(with: config.providers[choice.name] ?? .init()) })
            ?? config.providers[choice.name] else {
            let names = (["local", "replay"] + Self.builtIn.keys + config.providers.keys).sorted()
            throw ForgeError(.usage, "unknown provider '\(choice.name)'",
                             hint: "use one of: \(Set(names).sorted().joined(separator: ", ")), or add [providers.\(choice.name)] to .forge/config.toml")
        }
        guard let base = choice.baseURL ?? known.baseURL, let url = URL(string: base), url.scheme != nil else {
            throw ForgeError(.config, "provider '\(choice.name)' has no valid base_url",
                             hint: "set base_url in [providers.\(choice.name)] or pass --base-url")
        }
        guard let model = choice.model ?? known.model else {
            throw ForgeError(.config, "provider '\(choice.name)' has no model", hint: "set model in [providers.\(choice.name)] or pass --model")
        }
        var apiKey: String?
        if let variable = known.apiKeyEnv {
            apiKey = environment[variable]
            if apiKey?.isEmpty ?? true {
                throw ForgeError(.config, "provider '\(choice.name)' needs an API key in $\(variable), which is not set",
                                 hint: "export \(variable)=… (keys are read from the environment only)")
            }
        }
        let jsonMode: JSONMode = switch known.jsonMode ?? "none" {
        case "openai": .openAI
        case "llama", "llamacpp", "llama.cpp": .llamaCpp
        default: .none
        }
        return OpenAICompatibleModel(
            configuration: OpenAICompatibleConfiguration(
                providerName: choice.name, baseURL: url, model: model, apiKey: apiKey, jsonMode: jsonMode,
                requestTimeout: known.requestTimeout ?? 300, maxRetries: known.maxRetries ?? 3),
            logger: logger)
    }
}
