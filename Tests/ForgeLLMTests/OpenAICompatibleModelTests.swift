import FlyingFox
import ForgeCore
import Foundation
import Logging
import Synchronization
import Testing
@testable import ForgeLLM

/// OpenAICompatibleModel against a real HTTP server on 127.0.0.1 that misbehaves on purpose.
@Suite struct OpenAICompatibleModelTests {
    static let key = "sk-test-5ecret-key-0042"
    let request = ChatRequest(purpose: "pm", messages: [ChatMessage(.system, "Be brief."), ChatMessage(.user, "Say hi.")],
                              maxTokens: 64, seed: 1, jsonSchema: ["type": "object"])

    func model(_ server: TestHTTPServer, jsonMode: JSONMode = .openAI, maxRetries: Int = 3,
               requestTimeout: Double = 30) -> OpenAICompatibleModel {
        model(baseURL: server.baseURL, jsonMode: jsonMode, maxRetries: maxRetries, requestTimeout: requestTimeout)
    }

    func model(baseURL: URL, jsonMode: JSONMode = .openAI, maxRetries: Int = 3, requestTimeout: Double = 30) -> OpenAICompatibleModel {
        let configuration = OpenAICompatibleConfiguration(
            providerName: "openai", baseURL: baseURL, model: "test-model", apiKey: Self.key,
            apiKeyVariable: "FORGE_TEST_API_KEY", jsonMode: jsonMode, requestTimeout: requestTimeout,
            maxRetries: maxRetries, retryBaseDelay: 0.01)
        return OpenAICompatibleModel(configuration: configuration, logger: Logger(label: "test.openai"))
    }

    /// Runs `body` expecting a ForgeError, and checks the key never shows in it.
    func expectForgeError(_ body: () async throws -> ChatResponse) async throws -> ForgeError {
        do {
            let response = try await body()
            Issue.record("expected an error, got \(response)")
            throw CancellationError()
        } catch let error as ForgeError {
            #expect(!error.description.contains(Self.key))
            #expect(!String(describing: error).contains(Self.key))
            return error
        }
    }

    @Test(arguments: [JSONMode.llamaCpp, .openAI, .none])
    func assemblesAStreamedAnswer(jsonMode: JSONMode) async throws {
        let pieces = ["{\"greeting\"", ": \"hi", "\"}"]
        try await TestHTTPServer.with({ _, _ in
            OpenAIWire.streamed(pieces.flatMap { [.send(OpenAIWire.chunk($0)), .pause(.milliseconds(20))] }
                + [.send(OpenAIWire.chunk(nil, finish: "stop")), .send(OpenAIWire.usageChunk(prompt: 21, completion: 3)),
                   .send(OpenAIWire.done)])
        }) { server in
            let updates = Mutex<[ChatProgress]>([])
            let chat = model(server, jsonMode: jsonMode)
            #expect(chat.supportsJSONSchema == (jsonMode != .none))
            let response = try await chat.complete(request) { update in updates.withLock { $0.append(update) } }

            #expect(response.content == "{\"greeting\": \"hi\"}")
            #expect(response.usage == Usage(promptTokens: 21, completionTokens: 3))
            #expect(response.finishReason == "stop")
            #expect(response.model == "test-model")
            let seenUpdates = updates.withLock { $0 }
            #expect(seenUpdates.map(\.text) == pieces)
            #expect(seenUpdates.map(\.completionTokens) == [1, 2, 3])

            let seen = try #require(server.requests.first)
            #expect(server.requestCount == 1)
            #expect(seen.path == "/v1/chat/completions")
            #expect(seen.headers["authorization"] == "Bearer \(Self.key)")
            let body = try #require(seen.body)
            #expect(body["model"] == "test-model")
            #expect(body["stream"] == true)
            #expect(body["stream_options"] == ["include_usage": true])
            #expect(body["messages"] == [["role": "system", "content": "Be brief."], ["role": "user", "content": "Say hi."]])
            #expect(body["max_tokens"] == 64)
            #expect(body["seed"] == 1)
            #expect(body["temperature"] == 0)
            switch jsonMode {
            case .llamaCpp:
                #expect(body["response_format"] == ["type": "json_object", "schema": ["type": "object"]])
            case .openAI:
                #expect(body["response_format"] == ["type": "json_schema",
                                                    "json_schema": ["name": "output", "schema": ["type": "object"], "strict": false]])
            case .none:
                #expect(body["response_format"] == nil)
            }
        }
    }

    @Test func acceptsAPlainJSONAnswer() async throws {
        try await TestHTTPServer.with({ _, _ in
            OpenAIWire.json(["id": "chatcmpl-2", "object": "chat.completion", "model": "test-model",
                             "choices": [["index": 0, "message": ["role": "assistant", "content": "hello"], "finish_reason": "stop"]],
                             "usage": ["prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11]])
        }) { server in
            let updates = Mutex<[String]>([])
            let response = try await model(server).complete(request) { update in updates.withLock { $0.append(update.text) } }
            #expect(response.content == "hello")
            #expect(response.usage == Usage(promptTokens: 9, completionTokens: 2))
            #expect(response.finishReason == "stop")
            #expect(updates.withLock { $0 } == ["hello"])
        }
    }

    @Test func estimatesUsageWhenTheServerGivesNone() async throws {
        try await TestHTTPServer.with({ _, _ in
            OpenAIWire.sse(OpenAIWire.chunk("a") + OpenAIWire.chunk("b") + OpenAIWire.chunk(nil, finish: "stop") + OpenAIWire.done)
        }) { server in
            let response = try await model(server).complete(request)
            #expect(response.content == "ab")
            #expect(response.usage.completionTokens == 2)
            #expect(response.usage.promptTokens == "Be brief.Say hi.".count / 4)
        }
    }

    @Test func sendsNoAuthorizationWithoutAKey() async throws {
        try await TestHTTPServer.with({ _, _ in OpenAIWire.error(.forbidden, "no key") }) { server in
            var configuration = model(server).configuration
            configuration.apiKey = nil
            let chat = OpenAICompatibleModel(configuration: configuration, logger: Logger(label: "test.openai"))
            let error = try await expectForgeError { try await chat.complete(request) }
            #expect(error.message.contains("HTTP 403"))
            #expect(error.hint == "no API key was sent: set FORGE_TEST_API_KEY in the environment")
            #expect(server.requests.first?.headers["authorization"] == nil)
        }
    }

    @Test func retriesATooManyRequestsAnswerAfterRetryAfter() async throws {
        try await TestHTTPServer.with({ _, index in
            index == 1 ? OpenAIWire.error(.tooManyRequests, "slow down", headers: [HTTPHeader("Retry-After"): "1"])
                : OpenAIWire.sse(OpenAIWire.stream(["ok"]))
        }) { server in
            let response = try await model(server).complete(request)
            #expect(response.content == "ok")
            #expect(server.requestCount == 2)
        }
    }

    @Test func retriesServerErrorsUntilOneSucceeds() async throws {
        try await TestHTTPServer.with({ _, index in
            index <= 2 ? OpenAIWire.error(.internalServerError, "boom") : OpenAIWire.sse(OpenAIWire.stream(["third ", "time"]))
        }) { server in
            let response = try await model(server).complete(request)
            #expect(response.content == "third time")
            #expect(server.requestCount == 3)
        }
    }

    @Test func givesUpOnPersistentServerErrorsWithTheStatus() async throws {
        try await TestHTTPServer.with({ _, _ in OpenAIWire.error(.badGateway, "upstream is down") }) { server in
            let error = try await expectForgeError { try await model(server, maxRetries: 2).complete(request) }
            #expect(error.code == .providerFailed)
            #expect(error.message.contains("HTTP 502"))
            #expect(error.message.contains("3 attempts"))
            #expect(error.message.contains("upstream is down"))
            #expect(server.requestCount == 3)
        }
    }

    @Test func doesNotRetryARefusedKeyAndNamesTheVariable() async throws {
        try await TestHTTPServer.with({ _, _ in
            OpenAIWire.error(.unauthorized, "Incorrect API key provided: \(Self.key)")
        }) { server in
            let error = try await expectForgeError { try await model(server).complete(request) }
            #expect(error.code == .providerFailed)
            #expect(error.message.contains("HTTP 401"))
            #expect(error.message.contains("<redacted>"))
            #expect(error.hint?.contains("FORGE_TEST_API_KEY") == true)
            #expect(server.requestCount == 1)
        }
    }

    @Test func doesNotRetryANotFound() async throws {
        try await TestHTTPServer.with({ _, _ in OpenAIWire.error(.notFound, "no such model") }) { server in
            let error = try await expectForgeError { try await model(server).complete(request) }
            #expect(error.code == .providerFailed)
            #expect(error.message.contains("HTTP 404"))
            #expect(error.hint?.contains("base_url") == true)
            #expect(server.requestCount == 1)
        }
    }

    @Test func retriesAStreamCutMidway() async throws {
        try await TestHTTPServer.with({ _, index in
            index == 1
                ? OpenAIWire.streamed([.send(OpenAIWire.chunk("par")), .pause(.milliseconds(20)), .dropConnection])
                : OpenAIWire.sse(OpenAIWire.stream(["full ", "answer"]))
        }) { server in
            let response = try await model(server).complete(request)
            #expect(response.content == "full answer")
            #expect(server.requestCount == 2)
        }
    }

    @Test func retriesAStreamThatEndsWithoutDoneOrFinishReason() async throws {
        try await TestHTTPServer.with({ _, index in
            index == 1 ? OpenAIWire.sse(OpenAIWire.chunk("half")) : OpenAIWire.sse(OpenAIWire.stream(["whole"]))
        }) { server in
            let response = try await model(server).complete(request)
            #expect(response.content == "whole")
            #expect(server.requestCount == 2)
        }
    }

    @Test func givesUpOnStreamsThatKeepBeingCut() async throws {
        try await TestHTTPServer.with({ _, _ in
            OpenAIWire.streamed([.send(OpenAIWire.chunk("par")), .dropConnection])
        }) { server in
            let error = try await expectForgeError { try await model(server, maxRetries: 1).complete(request) }
            #expect(error.code == .providerFailed)
            #expect(error.message.contains(server.baseURL.absoluteString))
            #expect(server.requestCount == 2)
        }
    }

    @Test func retriesABrokenChunkThenSaysTheDataIsMalformed() async throws {
        try await TestHTTPServer.with({ _, _ in
            OpenAIWire.sse(OpenAIWire.chunk("fine") + "data: {\"choices\": [{\"delta\": {\"content\": \"oops\"\n\n" + OpenAIWire.done)
        }) { server in
            let error = try await expectForgeError { try await model(server, maxRetries: 2).complete(request) }
            #expect(error.code == .providerFailed)
            #expect(error.message.contains("malformed"))
            #expect(server.requestCount == 3)
        }
    }

    @Test func recoversFromABrokenChunkOnRetry() async throws {
        try await TestHTTPServer.with({ _, index in
            index == 1 ? OpenAIWire.sse("data: {not json\n\n" + OpenAIWire.done) : OpenAIWire.sse(OpenAIWire.stream(["good"]))
        }) { server in
            let response = try await model(server).complete(request)
            #expect(response.content == "good")
            #expect(server.requestCount == 2)
        }
    }

    @Test func retriesAnErrorObjectInTheStream() async throws {
        try await TestHTTPServer.with({ _, index in
            index == 1 ? OpenAIWire.sse("data: {\"error\": {\"message\": \"context overflow\"}}\n\n")
                : OpenAIWire.sse(OpenAIWire.stream(["recovered"]))
        }) { server in
            let response = try await model(server).complete(request)
            #expect(response.content == "recovered")
            #expect(server.requestCount == 2)
        }
    }

    // The two timeout tests serve from RawTCPServer's own threads, not FlyingFox: "no byte within
    // 2 s" must measure the client, and a server sharing the Swift concurrency pool with two hundred
    // parallel tests on a two-core machine can itself be starved for that long.
    @Test func timesOutASilentServerRetriesThenReportsIt() async throws {
        let requests = Mutex(0)
        try await RawTCPServer.with({ connection in
            guard connection.readRequest() != nil else { return }
            requests.withLock { $0 += 1 }
            connection.waitUntilClosed()
        }) { server in
            let error = try await expectForgeError {
                try await model(baseURL: server.baseURL, maxRetries: 1, requestTimeout: 2).complete(request)
            }
            #expect(error.code == .providerUnreachable)
            #expect(error.message.contains("did not answer"))
            #expect(error.message.contains(server.baseURL.absoluteString))
            #expect(requests.withLock { $0 } == 2)
        }
    }

    @Test func timesOutAStreamThatStalls() async throws {
        let requests = Mutex(0)
        try await RawTCPServer.with({ connection in
            guard connection.readRequest() != nil else { return }
            requests.withLock { $0 += 1 }
            let event = OpenAIWire.chunk("start")
            connection.send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + String(event.utf8.count, radix: 16) + "\r\n" + event + "\r\n")
            connection.waitUntilClosed()
        }) { server in
            let error = try await expectForgeError {
                try await model(baseURL: server.baseURL, maxRetries: 1, requestTimeout: 2).complete(request)
            }
            #expect(error.code == .providerFailed)
            #expect(error.message.contains("stopped sending"))
            #expect(requests.withLock { $0 } == 2)
        }
    }

    @Test func reportsARefusedConnectionAsUnreachable() async throws {
        let port = try unusedPort()
        let baseURL = URL(string: "http://127.0.0.1:\(port)/v1")!
        let error = try await expectForgeError { try await model(baseURL: baseURL).complete(request) }
        #expect(error.code == .providerUnreachable)
        #expect(error.message.contains(baseURL.absoluteString))
        #expect(error.hint?.contains("forge model serve") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellingTheTaskCancelsTheRequest() async throws {
        let arrived = AsyncStream<Void>.makeStream()
        try await TestHTTPServer.with({ _, _ in
            arrived.continuation.yield()
            try await Task.sleep(for: .seconds(120))
            return OpenAIWire.sse(OpenAIWire.stream(["never"]))
        }) { server in
            let chat = model(server, requestTimeout: 300)
            let call = Task { try await chat.complete(request) }
            var iterator = arrived.stream.makeAsyncIterator()
            await iterator.next()
            call.cancel()
            await #expect(throws: CancellationError.self) { try await call.value }
            #expect(server.requestCount == 1)
        }
    }
}

@Suite struct RetryPolicyTests {
    let configuration = OpenAICompatibleConfiguration(baseURL: URL(string: "http://127.0.0.1:1/v1")!, model: "m",
                                                      retryBaseDelay: 0.5, maxRetryDelay: 10)

    @Test func backsOffExponentially() {
        #expect((0 ..< 5).map { configuration.retryDelay(retry: $0, retryAfter: nil) } == [0.5, 1, 2, 4, 8])
        #expect(configuration.retryDelay(retry: 10, retryAfter: nil) == 10)
    }

    @Test func honoursRetryAfterUpToTheCap() {
        #expect(configuration.retryDelay(retry: 0, retryAfter: 7) == 7)
        #expect(configuration.retryDelay(retry: 3, retryAfter: 0) == 0)
        #expect(configuration.retryDelay(retry: 0, retryAfter: 3600) == 10)
    }

    @Test func parsesRetryAfterSecondsAndDates() throws {
        #expect(ChatCompletionReader.parseRetryAfter("3") == 3)
        #expect(ChatCompletionReader.parseRetryAfter(" 1.5 ") == 1.5)
        #expect(ChatCompletionReader.parseRetryAfter("soon") == nil)
        #expect(ChatCompletionReader.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == 0)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let later = try #require(ChatCompletionReader.parseRetryAfter(formatter.string(from: Date().addingTimeInterval(120))))
        #expect(later > 60 && later <= 120)
    }

    @Test func descriptionHidesTheKey() {
        var withKey = configuration
        withKey.apiKey = "sk-very-secret"
        #expect(!withKey.description.contains("sk-very-secret"))
    }
}

/// A port on 127.0.0.1 that nothing listens on: the one the local server launcher would pick.
func unusedPort() throws -> Int {
    try DetachedProcess.freeLoopbackPort()
}
