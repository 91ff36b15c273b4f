import ForgeCore

/// One message of a chat conversation, in the roles every OpenAI-style provider understands.
public struct ChatMessage: Sendable, Codable, Equatable, Hashable {
    public enum Role: String, Sendable, Codable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// What a stage asks a model: the conversation plus the sampling settings and, optionally, the JSON
/// schema the answer must follow.
///
/// ``fingerprint`` identifies the request for replay: it covers everything the model sees and nothing
/// else, so a cassette recorded by one stage still matches when only the stage's label changes.
public struct ChatRequest: Sendable, Codable, Equatable {
    /// Which stage asks, e.g. `pm`, `fix-2`: for logs and replay errors. Not part of ``fingerprint``.
    public var purpose: String
    public var messages: [ChatMessage]
    public var temperature: Double
    public var maxTokens: Int?
    public var seed: Int?
    /// When set, the caller wants a JSON object matching this schema.
    public var jsonSchema: JSONValue?

    public init(purpose: String, messages: [ChatMessage], temperature: Double = 0, maxTokens: Int? = nil,
                seed: Int? = nil, jsonSchema: JSONValue? = nil) {
        self.purpose = purpose
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.seed = seed
        self.jsonSchema = jsonSchema
    }

    enum CodingKeys: String, CodingKey {
        case purpose, messages, temperature, seed
        case maxTokens = "max_tokens"
        case jsonSchema = "json_schema"
    }

    /// Everything the model sees, as one JSON value (absent options are left out, not null).
    public var canonicalValue: JSONValue {
        var object: [String: JSONValue] = [
            "messages": .array(messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
            "temperature": .number(temperature),
        ]
        if let maxTokens { object["max_tokens"] = .number(Double(maxTokens)) }
        if let seed { object["seed"] = .number(Double(seed)) }
        if let jsonSchema { object["json_schema"] = jsonSchema }
        return .object(object)
    }

    /// SHA-256 hex of the canonical JSON (sorted keys, compact) of everything but ``purpose``: the
    /// same request gives the same fingerprint on every machine and run.
    public var fingerprint: String { SHA256.hex(canonicalValue.canonicalText) }
}
