import FlyingFox
import ForgeCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import ForgeLLM

/// HTTPStream (libcurl) against real servers on 127.0.0.1: what it sends, what it delivers, and how
/// each way an exchange can fail reaches the reader.
@Suite(.timeLimit(.minutes(1))) struct HTTPStreamTests {
    /// Everything a stream delivered, and how it ended.
    struct Received {
        var heads: [(status: Int, headers: [String: String])] = []
        var body = Data()
        var error: (any Error)?

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func receive(_ events: AsyncThrowingStream<HTTPStreamEvent, any Error>) async -> Received {
        var received = Received()
        do {
            for try await event in events {
                switch event {
                case .head(let status, let headers): received.heads.append((status, headers))
                case .body(let data): received.body.append(data)
                }
            }
        } catch {
            received.error = error
        }
        return received
    }

    func post(_ url: URL, body: String = "{\"hello\": 1}") -> URLRequest {
        var request = URLRequest(url: url.appendingPathComponent("chat/completions"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer abc", forHTTPHeaderField: "Authorization")
        request.httpBody = Data(body.utf8)
        return request
    }

    @Test func deliversTheFinalHeadAfterAnInterimContinue() async throws {
        try await RawTCPServer.with({ connection in
            guard connection.readRequest() != nil else { return }
            connection.send("HTTP/1.1 100 Continue\r\n\r\n")
            connection.send("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nX-Seen: a\r\nx-seen: b\r\n"
                + "Content-Length: 4\r\n\r\nslow")
        }) { server in
            let received = await receive(HTTPStream(request: post(server.baseURL), idleTimeout: 30).events)
            #expect(received.error == nil)
            #expect(received.heads.count == 1)
            let head = try #require(received.heads.first)
            #expect(head.status == 429)
            #expect(head.headers["retry-after"] == "3")
            #expect(head.headers["x-seen"] == "a, b")
            #expect(received.text == "slow")
        }
    }

    @Test func aHeadThenSilenceTimesOutSayingTheHeadCame() async throws {
        try await RawTCPServer.with({ connection in
            guard connection.readRequest() != nil else { return }
            connection.send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "6\r\ndata: \r\n")
            connection.waitUntilClosed()
        }) { server in
            // Sub-second on purpose: the idle deadline is exact, not rounded to a second.
            let received = await receive(HTTPStream(request: post(server.baseURL), idleTimeout: 0.4).events)
            #expect(received.heads.first?.status == 200)
            #expect(received.text == "data: ")
            guard case HTTPStreamError.idleTimeout(let seconds, let receivedHead)? = received.error else {
                Issue.record("expected an idle timeout, got \(String(describing: received.error))")
                return
            }
            #expect(seconds == 0.4)
            #expect(receivedHead)
        }
    }

    @Test func aSilentServerTimesOutSayingNoHeadCame() async throws {
        try await RawTCPServer.with({ connection in
            guard connection.readRequest() != nil else { return }
            connection.waitUntilClosed()
        }) { server in
            let received = await receive(HTTPStream(request: post(server.baseURL), idleTimeout: 0.3).events)
            #expect(received.heads.isEmpty)
            guard case HTTPStreamError.idleTimeout(0.3, false)? = received.error else {
                Issue.record("expected an idle timeout before the head, got \(String(describing: received.error))")
                return
            }
        }
    }

    /// Lets a transfer whose request has arrived fall asleep in its poll: libcurl wakes it once,
    /// ~200 ms after connecting, and a cancel before then would be noticed without being woken.
    func settle() async throws {
        try await Task.sleep(for: .milliseconds(500))
    }

    @Test func cancelEndsTheStreamAndClosesTheConnectionAtOnce() async throws {
        let arrived = AsyncStream<Void>.makeStream()
        let closed = AsyncStream<Void>.makeStream()
        try await RawTCPServer.with({ connection in
            guard connection.readRequest() != nil else { return }
            arrived.continuation.yield()
            // The server keeps silent; only the client closing ends this.
            connection.waitUntilClosed()
            closed.continuation.yield()
        }) { server in
            // Every timer far beyond the suite's time limit: only the cancel can end the wait.
            let stream = HTTPStream(request: post(server.baseURL), idleTimeout: 600, connectTimeout: 600)
            var arrivals = arrived.stream.makeAsyncIterator()
            await arrivals.next()
            try await settle()
            stream.cancel()
            let received = await receive(stream.events)
            #expect(received.error is CancellationError)
            var closes = closed.stream.makeAsyncIterator()
            await closes.next()
        }
    }

    @Test func aConsumerThatStopsListeningStopsTheTransfer() async throws {
        let arrived = AsyncStream<Void>.makeStream()
        let closed = AsyncStream<Void>.makeStream()
        try await RawTCPServer.with({ connection in
            guard connection.readRequest() != nil else { return }
            arrived.continuation.yield()
            connection.waitUntilClosed()
            closed.continuation.yield()
        }) { server in
            // Only the events are kept, as a caller may do; cancelling the reading task must be enough.
            let events = HTTPStream(request: post(server.baseURL), idleTimeout: 600, connectTimeout: 600).events
            let reader = Task { await receive(events) }
            var arrivals = arrived.stream.makeAsyncIterator()
            await arrivals.next()
            try await settle()
            reader.cancel()
            _ = await reader.value
            var closes = closed.stream.makeAsyncIterator()
            await closes.next()
        }
    }

    @Test func aRefusedConnectionCannotConnectToHost() async throws {
        let url = URL(string: "http://127.0.0.1:\(try unusedPort())/v1")!
        let received = await receive(HTTPStream(request: post(url), idleTimeout: 30).events)
        guard case HTTPStreamError.transport(let error)? = received.error else {
            Issue.record("expected a transport error, got \(String(describing: received.error))")
            return
        }
        #expect(error.code == .cannotConnectToHost)
    }

    @Test func aServerThatClosesWithoutAnsweringLosesTheConnection() async throws {
        try await RawTCPServer.with({ connection in
            _ = connection.readRequest()
        }) { server in
            let received = await receive(HTTPStream(request: post(server.baseURL), idleTimeout: 30).events)
            #expect(received.heads.isEmpty)
            guard case HTTPStreamError.transport(let error)? = received.error else {
                Issue.record("expected a transport error, got \(String(describing: received.error))")
                return
            }
            #expect(error.code == .networkConnectionLost)
        }
    }

    @Test func aBodyCutShortLosesTheConnectionAfterTheHead() async throws {
        try await RawTCPServer.with({ connection in
            guard connection.readRequest() != nil else { return }
            connection.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"choi")
        }) { server in
            let received = await receive(HTTPStream(request: post(server.baseURL), idleTimeout: 30).events)
            #expect(received.heads.first?.status == 200)
            #expect(received.text == "{\"choi")
            guard case HTTPStreamError.transport(let error)? = received.error else {
                Issue.record("expected a transport error, got \(String(describing: received.error))")
                return
            }
            #expect(error.code == .networkConnectionLost)
            // libcurl's own words travel with the error, for the message the user sees.
            #expect((error.userInfo[NSLocalizedDescriptionKey] as? String)?.isEmpty == false)
        }
    }

    @Test func sendsAGetWithoutABody() async throws {
        try await TestHTTPServer.with({ request, _ in
            HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain"],
                         body: Data("\(request.method.rawValue) \(try await request.bodyData.count)".utf8))
        }) { server in
            var request = URLRequest(url: server.baseURL.appendingPathComponent("models"))
            request.httpMethod = "GET"
            let received = await receive(HTTPStream(request: request, idleTimeout: 30).events)
            #expect(received.error == nil)
            #expect(received.heads.first?.status == 200)
            #expect(received.text == "GET 0")
        }
    }
}

/// The 1.2 MB upload on its own, with more time: the test server reads it 4 KiB at a time, each read
/// a resumption on the Swift concurrency pool, and with every suite running in parallel on two cores
/// (the local model busy too) those resumptions can queue for over 30 s. What is checked is what
/// was sent and received, never how fast. The server's own request timeout (60 s elsewhere) is raised
/// too: a run starved of CPU once took longer than that to hand it the body, and it answered 500.
@Suite(.timeLimit(.minutes(4))) struct HTTPStreamLargeBodyTests {
    func post(_ url: URL, body: String) -> URLRequest { HTTPStreamTests().post(url, body: body) }
    func receive(_ events: AsyncThrowingStream<HTTPStreamEvent, any Error>) async -> HTTPStreamTests.Received {
        await HTTPStreamTests().receive(events)
    }

    @Test func sendsTheMethodHeadersAndBodyAndStreamsTheAnswer() async throws {
        try await TestHTTPServer.with(timeout: 200, { _, _ in
            OpenAIWire.streamed([.send("data: one\n\n"), .pause(.milliseconds(20)), .send("data: two\n\n")])
        }) { server in
            // Over 1 MiB, where libcurl would send `Expect: 100-continue` and wait if forge let it.
            let payload = "{\"text\": \"" + String(repeating: "x", count: 1_200_000) + "\"}"
            let received = await receive(HTTPStream(request: post(server.baseURL, body: payload), idleTimeout: 150).events)
            #expect(received.error == nil)
            #expect(received.heads.count == 1)
            #expect(received.heads.first?.status == 200)
            #expect(received.heads.first?.headers["content-type"] == "text/event-stream")
            #expect(received.text == "data: one\n\ndata: two\n\n")
            let seen = try #require(server.requests.first)
            #expect(seen.path == "/v1/chat/completions")
            #expect(seen.headers["authorization"] == "Bearer abc")
            #expect(seen.headers["content-type"] == "application/json")
            #expect(seen.headers["expect"] == nil)
            #expect(seen.body?["text"]?.stringValue?.count == 1_200_000)
        }
    }
}
