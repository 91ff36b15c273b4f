import ForgeCore

/// A model's complete answer to one ``ChatRequest``.
public struct ChatResponse: Sendable, Codable, Equatable {
    /// The assistant's text (the JSON object itself when a schema was asked for).
    public var content: String
    public var usage: Usage
    /// The model that answered, as the provider names it.
    public var model: String
    /// Why generation stopped (`stop`, `length`, …) when the provider says.
    public var finishReason: String?
    /// Wall time of the call, retries included: what the user waited.
    public var latencySeconds: Double

    public init(content: String, usage: Usage, model: String, finishReason: String? = nil, latencySeconds: Double = 0) {
        self.content = content
        self.usage = usage
        self.model = model
        self.finishReason = finishReason
        self.latencySeconds = latencySeconds
    }

    // Cassettes are read by people and compared with provider logs, so keys follow the OpenAI
    // spelling (`prompt_tokens`) rather than Swift's.
    enum CodingKeys: String, CodingKey {
        case content, usage, model
        case finishReason = "finish_reason"
        case latencySeconds = "latency_seconds"
    }

    enum UsageKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        content = try container.decode(String.self, forKey: .content)
        // Hand-written cassette answers may leave the model out; the cassette names it.
        model = try container.decodeIfPresent(String.self, forKey: .model) ?? ""
        finishReason = try container.decodeIfPresent(String.self, forKey: .finishReason)
        latencySeconds = try container.decodeIfPresent(Double.self, forKey: .latencySeconds) ?? 0
        if container.contains(.usage) {
            let usageContainer = try container.nestedContainer(keyedBy: UsageKeys.self, forKey: .usage)
            usage = Usage(
                promptTokens: try usageContainer.decodeIfPresent(Int.self, forKey: .promptTokens) ?? 0,
                completionTokens: try usageContainer.decodeIfPresent(Int.self, forKey: .completionTokens) ?? 0)
        } else {
            usage = .zero
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(content, forKey: .content)
        try container.encode(model, forKey: .model)
        try container.encodeIfPresent(finishReason, forKey: .finishReason)
        try container.encode(latencySeconds, forKey: .latencySeconds)
        var usageContainer = container.nestedContainer(keyedBy: UsageKeys.self, forKey: .usage)
        try usageContainer.encode(usage.promptTokens, forKey: .promptTokens)
        try usageContainer.encode(usage.completionTokens, forKey: .completionTokens)
    }
}

/// A streaming update while a model writes: how far it got and the text it just added.
public struct ChatProgress: Sendable {
    /// Completion tokens so far (chunks received when the provider streams one token per chunk).
    public var completionTokens: Int
    /// The text added since the previous update.
    public var text: String

    public init(completionTokens: Int, text: String) {
        self.completionTokens = completionTokens
        self.text = text
    }
}
