import ForgeCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging

/// A ``ChatModel`` behind any OpenAI-compatible `chat/completions` endpoint: OpenAI itself, the
/// embedded llama.cpp server, vLLM, LM Studio.
///
/// Every call streams (`stream: true`, usage in the last chunk) so progress shows while a slow local
/// model writes, and so a stalled server is noticed after `requestTimeout` seconds of silence rather
/// than after a total deadline. A server that answers with a plain JSON body is accepted too.
/// Rate limits, server errors, timeouts, dropped connections and cut or garbled streams are retried
/// with exponential backoff (honouring `Retry-After`); client errors (400, 401, 403, 404) are not.
public struct OpenAICompatibleModel: ChatModel {
    public let configuration: OpenAICompatibleConfiguration
    private let logger: Logger

    public init(configuration: OpenAICompatibleConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public var providerName: String { configuration.providerName }
    public var modelName: String { configuration.model }
    public var supportsJSONSchema: Bool { configuration.jsonMode != .none }

    public func complete(_ request: ChatRequest,
                         progress: (@Sendable (ChatProgress) -> Void)?) async throws -> ChatResponse {
        let started = ContinuousClock.now
        let urlRequest = makeURLRequest(body: requestBody(for: request))
        var logger = self.logger
        logger[metadataKey: "purpose"] = "\(request.purpose)"
        logger[metadataKey: "provider"] = "\(configuration.providerName)/\(configuration.model)"
        var retry = 0
        while true {
            try Task.checkCancellation()
            do {
                let answer = try await attempt(urlRequest, progress: progress)
                let elapsed = ContinuousClock.now - started
                return response(from: answer, request: request,
                                latency: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            } catch let failure as ProviderAttemptFailure {
                let scrubbed = scrub(failure)
                guard scrubbed.isRetryable, retry < configuration.maxRetries else {
                    // The thrown error is what the user sees; the log keeps the attempt count for debugging.
                    logger.debug("model call failed", metadata: ["reason": "\(scrubbed.summary)", "attempts": "\(retry + 1)"])
                    throw scrubbed.forgeError(configuration, attempts: retry + 1)
                }
                let delay = configuration.retryDelay(retry: retry, retryAfter: scrubbed.retryAfter)
                logger.warning("model call failed, retrying", metadata: [
                    "reason": "\(scrubbed.summary)", "retry": "\(retry + 1)/\(configuration.maxRetries)",
                    "delay_seconds": "\(delay)",
                ])
                try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
                retry += 1
            }
        }
    }

    /// The JSON body: model, messages, sampling, streaming with usage, and the schema in the form
    /// the server understands.
    func requestBody(for request: ChatRequest) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(configuration.model),
            "messages": .array(request.messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
            "temperature": .number(request.temperature),
            "stream": true,
            "stream_options": ["include_usage": true],
        ]
        if let maxTokens = request.maxTokens { body["max_tokens"] = .number(Double(maxTokens)) }
        if let seed = request.seed { body["seed"] = .number(Double(seed)) }
        if let schema = request.jsonSchema {
            switch configuration.jsonMode {
            case .llamaCpp: body["response_format"] = ["type": "json_object", "schema": schema]
            case .openAI:
                body["response_format"] = [
                    "type": "json_schema",
                    "json_schema": ["name": "output", "schema": schema, "strict": false],
                ]
            case .none: break
            }
        }
        return .object(body)
    }

    private func makeURLRequest(body: JSONValue) -> URLRequest {
        var urlRequest = URLRequest(url: configuration.completionsURL)
        urlRequest.httpMethod = "POST"
        urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        urlRequest.setValue("text/event-stream, application/json", forHTTPHeaderField: "Accept")
        if let key = configuration.apiKey, !key.isEmpty {
            urlRequest.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        }
        urlRequest.httpBody = Data(body.canonicalText.utf8)
        return urlRequest
    }

    /// One HTTP exchange, cancelled with the calling task.
    private func attempt(_ urlRequest: URLRequest,
                         progress: (@Sendable (ChatProgress) -> Void)?) async throws -> ChatCompletionAssembler {
        let stream = HTTPStream(request: urlRequest, idleTimeout: configuration.requestTimeout)
        return try await withTaskCancellationHandler {
            var reader = ChatCompletionReader(idleTimeout: configuration.requestTimeout, progress: progress)
            defer { stream.close() }
            return try await reader.read(stream.events)
        } onCancel: {
            stream.cancel()
        }
    }

    private func response(from answer: ChatCompletionAssembler, request: ChatRequest, latency: Double) -> ChatResponse {
        let usage: Usage
        if let reported = answer.usage {
            usage = reported
        } else {
            // Some servers omit usage; an estimate (one token per chunk, ~4 characters per prompt
            // token) keeps budgets meaningful.
            let promptCharacters = request.messages.reduce(0) { $0 + $1.content.count }
            usage = Usage(promptTokens: promptCharacters / 4, completionTokens: answer.contentChunks)
            logger.debug("server reported no usage; estimated", metadata: ["purpose": "\(request.purpose)"])
        }
        var model = answer.model ?? configuration.model
        // llama-cpp-python names the model by its file path; the configured name reads better.
        if model.hasSuffix(".gguf") || model.contains("/") && !configuration.model.contains("/") { model = configuration.model }
        return ChatResponse(content: answer.content, usage: usage, model: model,
                            finishReason: answer.finishReason, latencySeconds: latency)
    }

    /// The failure with the API key taken out of any text the server echoed back.
    private func scrub(_ failure: ProviderAttemptFailure) -> ProviderAttemptFailure {
        guard let key = configuration.apiKey, !key.isEmpty else { return failure }
        func clean(_ text: String) -> String { text.replacingOccurrences(of: key, with: "<redacted>") }
        switch failure {
        case .http(let status, let excerpt, let retryAfter): return .http(status: status, excerpt: clean(excerpt), retryAfter: retryAfter)
        case .malformed(let excerpt): return .malformed(excerpt: clean(excerpt))
        case .serverError(let message): return .serverError(message: clean(message))
        default: return failure
        }
    }
}
