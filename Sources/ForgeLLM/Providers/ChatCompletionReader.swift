import ForgeCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reads one HTTP exchange of a chat completion into a ``ChatCompletionAssembler``, telling a
/// complete answer from every way it can go wrong (HTTP error, cut stream, garbled chunk, silence).
struct ChatCompletionReader {
    private enum BodyKind { case eventStream, json }

    let idleTimeout: Double
    let progress: (@Sendable (ChatProgress) -> Void)?

    private var status = 0
    private var headers: [String: String] = [:]
    private var kind: BodyKind?
    private var pending = Data()
    private var parser = ServerSentEventParser()
    private var assembler = ChatCompletionAssembler()
    /// The body of an error response or a plain JSON answer, capped.
    private var body = Data()
    private static let bodyCap = 4 << 20

    init(idleTimeout: Double, progress: (@Sendable (ChatProgress) -> Void)?) {
        self.idleTimeout = idleTimeout
        self.progress = progress
    }

    /// Consumes the events until the answer is complete or the exchange fails.
    /// - Throws: ``ProviderAttemptFailure``, or `CancellationError` when the task was cancelled.
    mutating func read(_ events: AsyncThrowingStream<HTTPStreamEvent, any Error>) async throws -> ChatCompletionAssembler {
        do {
            reading: for try await event in events {
                switch event {
                case .head(let status, let headers):
                    self.status = status
                    self.headers = headers
                case .body(let data):
                    guard (200 ..< 300).contains(status) else {
                        if body.count < Self.bodyCap { body.append(data) }
                        continue
                    }
                    try consume(data)
                    if assembler.sawDone { break reading }
                }
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch HTTPStreamError.idleTimeout(let seconds, let receivedHead) {
            throw ProviderAttemptFailure.timeout(seconds: seconds, receivedHead: receivedHead)
        } catch HTTPStreamError.transport(let error) {
            if Task.isCancelled { throw CancellationError() }
            // An error status whose body was cut short is still that error status.
            if status != 0, !(200 ..< 300).contains(status) { throw httpFailure() }
            throw ProviderAttemptFailure.from(error, idleTimeout: idleTimeout, receivedHead: status != 0)
        }
        if Task.isCancelled { throw CancellationError() }
        guard status != 0 else { throw ProviderAttemptFailure.connectionLost(reason: "the server sent no response") }
        guard (200 ..< 300).contains(status) else { throw httpFailure() }
        return try finish()
    }

    private mutating func consume(_ data: Data) throws {
        if kind == nil {
            pending.append(data)
            guard let decided = decideKind() else { return }
            kind = decided
            let buffered = pending
            pending = Data()
            try consume(buffered)
            return
        }
        switch kind {
        case .json:
            if body.count < Self.bodyCap { body.append(data) }
        case .eventStream:
            for payload in parser.feed(data) { try apply(payload) }
        case nil:
            break
        }
    }

    /// `text/event-stream` or JSON by content type, else by the first non-blank byte (`{` is JSON).
    private func decideKind() -> BodyKind? {
        let contentType = headers["content-type"]?.lowercased() ?? ""
        if contentType.contains("event-stream") { return .eventStream }
        if contentType.contains("json") { return .json }
        guard let first = pending.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return nil }
        return first == UInt8(ascii: "{") ? .json : .eventStream
    }

    private mutating func apply(_ payload: String) throws {
        let delta: String
        do {
            delta = try assembler.apply(eventData: payload)
        } catch let error as ChatCompletionAssembler.MalformedData {
            throw ProviderAttemptFailure.malformed(excerpt: error.excerpt)
        } catch let error as ChatCompletionAssembler.ServerError {
            throw ProviderAttemptFailure.serverError(message: error.message)
        }
        if !delta.isEmpty, let progress {
            progress(ChatProgress(completionTokens: assembler.contentChunks, text: delta))
        }
    }

    private mutating func finish() throws -> ChatCompletionAssembler {
        if kind == nil, !pending.isEmpty {
            kind = .eventStream
            try consume(Data())
        }
        switch kind {
        case .json:
            do {
                try assembler.apply(body: body)
            } catch let error as ChatCompletionAssembler.MalformedData {
                throw ProviderAttemptFailure.malformed(excerpt: error.excerpt)
            } catch let error as ChatCompletionAssembler.ServerError {
                throw ProviderAttemptFailure.serverError(message: error.message)
            }
            if !assembler.content.isEmpty, let progress {
                progress(ChatProgress(completionTokens: assembler.contentChunks, text: assembler.content))
            }
        case .eventStream:
            for payload in parser.finish() { try apply(payload) }
            guard assembler.isComplete else { throw ProviderAttemptFailure.cutStream }
        case nil:
            // A 2xx with an empty body: nothing was answered.
            throw ProviderAttemptFailure.cutStream
        }
        return assembler
    }

    private func httpFailure() -> ProviderAttemptFailure {
        let text = String(decoding: body, as: UTF8.self)
        var message = text
        if let value = try? JSONValue(parsing: text), let error = value["error"] {
            message = error["message"]?.stringValue ?? error.stringValue ?? text
        }
        return .http(status: status, excerpt: ChatCompletionAssembler.excerpt(message),
                     retryAfter: headers["retry-after"].flatMap(Self.parseRetryAfter))
    }

    /// `Retry-After` as seconds: either a number or an HTTP date.
    static func parseRetryAfter(_ value: String) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }
}
