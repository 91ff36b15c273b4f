import ForgeCore
import Foundation
import TOMLKit

/// Settings from `config.toml` files: the user's (`$XDG_CONFIG_HOME/forge/config.toml`) and the
/// repository's (`.forge/config.toml`, which wins). Command-line flags win over both.
///
/// ```toml
/// provider = "local"          # local | openai | replay | any [providers.NAME]
/// max_iterations = 4
/// token_budget = 200000
/// language = "python"
///
/// [providers.openai]
/// base_url = "https://api.openai.com/v1"
/// model = "gpt-4o-mini"
/// api_key_env = "OPENAI_API_KEY"   # the NAME of the variable; keys never go in this file
/// json_mode = "openai"             # openai | llama | none
/// ```
struct ForgeConfig: Decodable, Equatable {
    struct Provider: Decodable, Equatable {
        var baseURL: String?
        var model: String?
        var apiKeyEnv: String?
        var jsonMode: String?
        var requestTimeout: Double?
        var maxRetries: Int?
        /// USD per million prompt / completion tokens, for cost accounting and --cost-budget.
        var pricePrompt: Double?
        var priceCompletion: Double?

        enum CodingKeys: String, CodingKey {
            case baseURL = "base_url", model, apiKeyEnv = "api_key_env", jsonMode = "json_mode"
            case requestTimeout = "request_timeout", maxRetries = "max_retries"
            case pricePrompt = "price_prompt", priceCompletion = "price_completion"
        }

        /// `other`'s settings over these.
        func overlaid(with other: Provider) -> Provider {
            Provider(baseURL: other.baseURL ?? baseURL, model: other.model ?? model, apiKeyEnv: other.apiKeyEnv ?? apiKeyEnv,
                     jsonMode: other.jsonMode ?? jsonMode, requestTimeout: other.requestTimeout ?? requestTimeout,
                     maxRetries: other.maxRetries ?? maxRetries, pricePrompt: other.pricePrompt ?? pricePrompt,
                     priceCompletion: other.priceCompletion ?? priceCompletion)
        }
    }

    var provider: String?
    var maxIterations: Int?
    var tokenBudget: Int?
    var costBudget: Double?
    /// A duration as on the command line: `90s`, `20m`, `1h`.
    var timeBudget: String?
    var language: String?
    var providers: [String: Provider] = [:]

    enum CodingKeys: String, CodingKey {
        case provider, maxIterations = "max_iterations", tokenBudget = "token_budget", language, providers
        case costBudget = "cost_budget", timeBudget = "time_budget"
    }

    init(provider: String? = nil, maxIterations: Int? = nil, tokenBudget: Int? = nil, language: String? = nil,
         providers: [String: Provider] = [:], costBudget: Double? = nil, timeBudget: String? = nil) {
        self.provider = provider
        self.maxIterations = maxIterations
        self.tokenBudget = tokenBudget
        self.language = language
        self.providers = providers
        self.costBudget = costBudget
        self.timeBudget = timeBudget
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        provider = try container.decodeIfPresent(String.self, forKey: .provider)
        maxIterations = try container.decodeIfPresent(Int.self, forKey: .maxIterations)
        tokenBudget = try container.decodeIfPresent(Int.self, forKey: .tokenBudget)
        costBudget = try container.decodeIfPresent(Double.self, forKey: .costBudget)
        timeBudget = try container.decodeIfPresent(String.self, forKey: .timeBudget)
        language = try container.decodeIfPresent(String.self, forKey: .language)
        providers = try container.decodeIfPresent([String: Provider].self, forKey: .providers) ?? [:]
    }

    var timeBudgetSeconds: Double? { timeBudget.flatMap(BudgetOptions.seconds) }

    /// Reads one file; a missing file is an empty config, a broken one an error naming it.
    static func load(_ file: URL) throws -> ForgeConfig {
        guard FileManager.default.fileExists(atPath: file.path) else { return ForgeConfig() }
        do {
            let text = try String(contentsOf: file, encoding: .utf8)
            return try TOMLDecoder().decode(ForgeConfig.self, from: text)
        } catch {
            throw ForgeError(.config, "cannot read the config file \(file.path): \(error)",
                             hint: "fix the TOML (see README, Configuration) or move the file away")
        }
    }

    /// The user's config with the repository's laid over it.
    static func load(user: URL, repository: URL?) throws -> ForgeConfig {
        var merged = try load(user)
        if let repository {
            let repo = try load(repository)
            merged.provider = repo.provider ?? merged.provider
            merged.maxIterations = repo.maxIterations ?? merged.maxIterations
            merged.tokenBudget = repo.tokenBudget ?? merged.tokenBudget
            merged.costBudget = repo.costBudget ?? merged.costBudget
            merged.timeBudget = repo.timeBudget ?? merged.timeBudget
            merged.language = repo.language ?? merged.language
            for (name, settings) in repo.providers {
                merged.providers[name] = (merged.providers[name] ?? Provider()).overlaid(with: settings)
            }
        }
        return merged
    }
}
