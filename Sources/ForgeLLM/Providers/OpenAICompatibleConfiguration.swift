import Foundation

/// How an OpenAI-compatible server wants to be told about a JSON schema.
public enum JSONMode: String, Sendable, Codable, Equatable {
    /// `{"type":"json_object","schema":…}`: llama.cpp and llama-cpp-python (which answer the OpenAI
    /// form with HTTP 500).
    case llamaCpp
    /// `{"type":"json_schema","json_schema":{"name":"output","schema":…,"strict":false}}`.
    case openAI
    /// No `response_format`: the prompt alone asks for JSON.
    case none
}

/// How to reach an OpenAI-compatible `chat/completions` endpoint (OpenAI, llama.cpp's server,
/// vLLM, LM Studio, …) and how patient to be with it.
public struct OpenAICompatibleConfiguration: Sendable, Equatable {
    public typealias JSONMode = ForgeLLM.JSONMode

    /// The first half of the `Forge-Model:` trailer: `openai`, `local`, …
    public var providerName: String
    /// E.g. `http://127.0.0.1:8080/v1`; requests go to `<baseURL>/chat/completions`.
    public var baseURL: URL
    public var model: String
    /// Sent as `Authorization: Bearer …`; never logged or put in an error.
    public var apiKey: String?
    /// The environment variable the key came from, named in the hint of a 401/403.
    public var apiKeyVariable: String?
    public var jsonMode: JSONMode
    /// Seconds without any byte from the server before the attempt counts as timed out. Generous by
    /// default: a local CPU model can take minutes to its first token on a long prompt.
    public var requestTimeout: Double
    /// Retries after the first attempt for 429, 5xx, timeouts, dropped connections and cut streams.
    public var maxRetries: Int
    /// The first backoff; it doubles with each retry.
    public var retryBaseDelay: Double
    /// The longest wait between attempts, whatever `Retry-After` asks for.
    public var maxRetryDelay: Double

    public init(providerName: String = "openai", baseURL: URL, model: String, apiKey: String? = nil,
                apiKeyVariable: String? = nil, jsonMode: JSONMode = .openAI, requestTimeout: Double = 300,
                maxRetries: Int = 3, retryBaseDelay: Double = 1, maxRetryDelay: Double = 60) {
        self.providerName = providerName
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.apiKeyVariable = apiKeyVariable
        self.jsonMode = jsonMode
        self.requestTimeout = requestTimeout
        self.maxRetries = maxRetries
        self.retryBaseDelay = retryBaseDelay
        self.maxRetryDelay = maxRetryDelay
    }

    /// The embedded model behind ``LocalModelServer``: provider `local`, llama.cpp's schema form.
    public static func local(baseURL: URL, requestTimeout: Double = 300) -> OpenAICompatibleConfiguration {
        OpenAICompatibleConfiguration(providerName: "local", baseURL: baseURL, model: LocalModelLayout.modelName,
                                      jsonMode: .llamaCpp, requestTimeout: requestTimeout)
    }

    /// `<baseURL>/chat/completions`.
    public var completionsURL: URL { baseURL.appendingPathComponent("chat/completions") }

    /// How long to wait before retry number `retry` (0 for the first retry): the server's
    /// `Retry-After` when it gave one, else `retryBaseDelay · 2^retry`; never more than `maxRetryDelay`.
    public func retryDelay(retry: Int, retryAfter: Double?) -> Double {
        let backoff = retryBaseDelay * pow(2, Double(min(retry, 30)))
        let wanted = retryAfter.map { max(0, $0) } ?? backoff
        return min(wanted, maxRetryDelay)
    }
}

// The key stays out of anything that prints a configuration.
extension OpenAICompatibleConfiguration: CustomStringConvertible {
    public var description: String {
        "\(providerName)/\(model) at \(baseURL.absoluteString) (json: \(jsonMode.rawValue), key: \(apiKey == nil ? "none" : "set"))"
    }
}
