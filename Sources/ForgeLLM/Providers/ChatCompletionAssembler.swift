import ForgeCore
import Foundation

/// Builds one answer out of an OpenAI-style `chat/completions` response: streamed chunks
/// (`choices[0].delta.content`) or a plain `chat.completion` body (`choices[0].message.content`).
struct ChatCompletionAssembler {
    /// A payload that is not the JSON it should be.
    struct MalformedData: Error {
        var excerpt: String
    }

    /// The server put an `error` object in the body or the stream.
    struct ServerError: Error {
        var message: String
    }

    private(set) var content = ""
    /// Chunks that carried text: llama.cpp and OpenAI send one token per chunk.
    private(set) var contentChunks = 0
    private(set) var usage: Usage?
    private(set) var finishReason: String?
    private(set) var model: String?
    private(set) var sawDone = false

    /// True once the server said the answer is over: `[DONE]`, or a finish reason in a chunk.
    var isComplete: Bool { sawDone || finishReason != nil }

    /// Applies one SSE event's data.
    /// - Returns: The text it added (empty when none).
    /// - Throws: ``MalformedData`` or ``ServerError``.
    mutating func apply(eventData: String) throws -> String {
        let trimmed = eventData.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed == "[DONE]" {
            sawDone = true
            return ""
        }
        if trimmed.isEmpty { return "" }
        let chunk = try Self.parse(trimmed)
        try Self.checkForError(chunk)
        takeMetadata(chunk)
        guard let choice = chunk["choices"]?.arrayValue?.first else { return "" }
        if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
        guard let text = choice["delta"]?["content"]?.stringValue, !text.isEmpty else { return "" }
        content += text
        contentChunks += 1
        return text
    }

    /// Applies a whole non-streamed `chat.completion` body.
    /// - Throws: ``MalformedData`` when it is not one, ``ServerError`` when it carries an error.
    mutating func apply(body: Data) throws {
        let text = String(decoding: body, as: UTF8.self)
        let completion = try Self.parse(text)
        try Self.checkForError(completion)
        guard let choice = completion["choices"]?.arrayValue?.first,
              let message = choice["message"], let messageContent = message["content"] else {
            throw MalformedData(excerpt: Self.excerpt(text))
        }
        takeMetadata(completion)
        content = messageContent.stringValue ?? ""
        contentChunks = content.isEmpty ? 0 : 1
        finishReason = choice["finish_reason"]?.stringValue ?? "stop"
    }

    private mutating func takeMetadata(_ value: JSONValue) {
        if let name = value["model"]?.stringValue, !name.isEmpty { model = name }
        if let usage = value["usage"], case .object = usage {
            self.usage = Usage(promptTokens: Self.int(usage["prompt_tokens"]),
                               completionTokens: Self.int(usage["completion_tokens"]))
        }
    }

    private static func int(_ value: JSONValue?) -> Int {
        if case .number(let number)? = value, number.isFinite { return Int(number) }
        return 0
    }

    private static func parse(_ text: String) throws -> JSONValue {
        guard let value = try? JSONValue(parsing: text), case .object = value else {
            throw MalformedData(excerpt: excerpt(text))
        }
        return value
    }

    private static func checkForError(_ value: JSONValue) throws {
        guard let error = value["error"], error != .null else { return }
        let message = error["message"]?.stringValue ?? error.stringValue ?? error.canonicalText
        throw ServerError(message: excerpt(message))
    }

    /// The first 200 characters on one line, for error messages.
    static func excerpt(_ text: String, limit: Int = 200) -> String {
        let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return oneLine.count > limit ? String(oneLine.prefix(limit)) + "…" : oneLine
    }
}
