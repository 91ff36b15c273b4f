import FlyingFox
import FlyingSocks
import ForgeCore
import Foundation
import Synchronization

/// FlyingFox has a JSONValue too; the tests mean forge's.
typealias JSONValue = ForgeCore.JSONValue

/// A real HTTP server on 127.0.0.1, port 0, for one test: FlyingFox with a closure handler that can
/// misbehave on purpose. Every request it saw is kept for the test to inspect.
final class TestHTTPServer: Sendable {
    struct Seen: Sendable {
        var path: String
        var headers: [String: String]
        var body: JSONValue?
    }

    private let server: HTTPServer
    private let runTask: Task<Void, any Error>
    let baseURL: URL
    private let seen = Mutex<[Seen]>([])

    /// Starts a server whose handler gets the request and its 1-based index. `timeout` bounds how long
    /// the server waits for a request (headers and body) before it answers 500.
    static func start(timeout: TimeInterval = 60,
                      _ handler: @escaping @Sendable (HTTPRequest, Int) async throws -> HTTPResponse) async throws -> TestHTTPServer {
        let box = Mutex<TestHTTPServer?>(nil)
        let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: 0), timeout: timeout, logger: .disabled,
                                handler: ClosureHTTPHandler { request in
                                    var headers: [String: String] = [:]
                                    for (key, value) in request.headers { headers[key.rawValue.lowercased()] = value }
                                    let data = try await request.bodyData
                                    let seen = Seen(path: request.path, headers: headers,
                                                    body: try? JSONDecoder().decode(JSONValue.self, from: data))
                                    let index = box.withLock { $0?.record(seen) } ?? 0
                                    return try await handler(request, index)
                                })
        let runTask = Task { try await server.run() }
        // FlyingFox's default is 5 s; a loaded two-core machine running every suite in parallel can
        // take longer to schedule the listener. This is setup, not a timed assertion.
        try await server.waitUntilListening(timeout: 60)
        guard case .ip4(_, let port)? = await server.listeningAddress else {
            runTask.cancel()
            throw CocoaError(.fileReadUnknown)
        }
        let testServer = TestHTTPServer(server: server, runTask: runTask,
                                        baseURL: URL(string: "http://127.0.0.1:\(port)/v1")!)
        box.withLock { $0 = testServer }
        return testServer
    }

    private init(server: HTTPServer, runTask: Task<Void, any Error>, baseURL: URL) {
        self.server = server
        self.runTask = runTask
        self.baseURL = baseURL
    }

    private func record(_ request: Seen) -> Int {
        seen.withLock {
            $0.append(request)
            return $0.count
        }
    }

    var requests: [Seen] { seen.withLock { $0 } }
    var requestCount: Int { seen.withLock { $0.count } }

    func stop() async {
        await server.stop(timeout: 0)
        runTask.cancel()
    }

    /// Runs `body` against a fresh server and stops the server afterwards, whatever happens.
    static func with<T>(timeout: TimeInterval = 60, _ handler: @escaping @Sendable (HTTPRequest, Int) async throws -> HTTPResponse,
                        _ body: (TestHTTPServer) async throws -> T) async throws -> T {
        let server = try await start(timeout: timeout, handler)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

/// A response body sent in steps: bytes, pauses, and possibly a failure that drops the connection
/// mid-body (FlyingFox then closes the socket without the final chunk of the chunked encoding).
struct ScriptedBody: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8

    enum Step: Sendable {
        case send(String)
        case pause(Duration)
        case dropConnection
    }

    struct Dropped: Error {}

    let steps: [Step]

    func makeAsyncIterator() -> Iterator { Iterator(steps: steps[...]) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var steps: ArraySlice<Step>
        var pending: [UInt8] = []

        mutating func next() async throws -> UInt8? {
            guard let buffer = try await nextBuffer(suggested: 1) else { return nil }
            return buffer.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            while pending.isEmpty {
                guard let step = steps.popFirst() else { return nil }
                switch step {
                case .send(let text): pending = Array(text.utf8)
                case .pause(let duration): try await Task.sleep(for: duration)
                case .dropConnection: throw Dropped()
                }
            }
            let taken = Array(pending.prefix(Swift.max(1, count)))
            pending.removeFirst(taken.count)
            return taken
        }
    }
}

/// Builders for OpenAI-style answers.
enum OpenAIWire {
    static func chunk(_ content: String?, finish: String? = nil, model: String = "test-model") -> String {
        var delta: [String: JSONValue] = [:]
        if let content { delta["content"] = .string(content) }
        let choice: JSONValue = ["index": 0, "delta": .object(delta), "finish_reason": finish.map(JSONValue.string) ?? .null]
        let value: JSONValue = ["id": "chatcmpl-1", "object": "chat.completion.chunk", "model": .string(model),
                                "choices": [choice]]
        return "data: \(value.canonicalText)\n\n"
    }

    static func usageChunk(prompt: Int, completion: Int) -> String {
        let value: JSONValue = ["id": "chatcmpl-1", "object": "chat.completion.chunk", "model": "test-model", "choices": [],
                                "usage": ["prompt_tokens": .number(Double(prompt)), "completion_tokens": .number(Double(completion)),
                                          "total_tokens": .number(Double(prompt + completion))]]
        return "data: \(value.canonicalText)\n\n"
    }

    static let done = "data: [DONE]\n\n"

    /// A whole well-formed stream answering `pieces`.
    static func stream(_ pieces: [String], prompt: Int = 11, completion: Int? = nil) -> String {
        pieces.map { chunk($0) }.joined() + chunk(nil, finish: "stop")
            + usageChunk(prompt: prompt, completion: completion ?? pieces.count) + done
    }

    static func sse(_ text: String, status: HTTPStatusCode = .ok) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "text/event-stream"], body: Data(text.utf8))
    }

    static func streamed(_ steps: [ScriptedBody.Step]) -> HTTPResponse {
        HTTPResponse(statusCode: .ok, headers: [.contentType: "text/event-stream"],
                     body: HTTPBodySequence(from: ScriptedBody(steps: steps)))
    }

    static func json(_ value: JSONValue, status: HTTPStatusCode = .ok, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return HTTPResponse(statusCode: status, headers: headers, body: Data(value.canonicalText.utf8))
    }

    static func error(_ status: HTTPStatusCode, _ message: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
        json(["error": ["message": .string(message), "type": "test_error"]], status: status, headers: headers)
    }
}
