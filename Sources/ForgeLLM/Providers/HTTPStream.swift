import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// What arrives on one HTTP exchange, in order: the head once, then body bytes as they come.
enum HTTPStreamEvent: Sendable {
    /// Status and headers; header names are lowercased.
    case head(status: Int, headers: [String: String])
    case body(Data)
}

/// Why an exchange ended without a complete response, in the words the retry logic needs.
enum HTTPStreamError: Error, Sendable {
    /// No byte arrived for the idle timeout; `receivedHead` tells a silent server from a stalled stream.
    case idleTimeout(seconds: Double, receivedHead: Bool)
    /// The transport failed; the URLError code decides whether it is worth retrying.
    case transport(URLError)
}

/// One HTTP request whose response is read as it streams, through a URLSession delegate feeding an
/// `AsyncThrowingStream`.
///
/// On Linux, FoundationNetworking has no `bytes(for:)`, so streaming needs a delegate. Each exchange
/// gets its own session (the session owns its delegate until invalidated), an idle watchdog that
/// fails the stream when no byte arrives for `idleTimeout` seconds (a local CPU model can take minutes
/// to the first token, so this is idle time, not total time), and cancellation that stops the
/// transfer when the consumer stops listening.
final class HTTPStream: Sendable {
    let events: AsyncThrowingStream<HTTPStreamEvent, any Error>
    private let continuation: AsyncThrowingStream<HTTPStreamEvent, any Error>.Continuation
    private let session: URLSession
    private let task: URLSessionDataTask
    private let state: Mutex<State>

    private struct State {
        var lastActivity = ContinuousClock.now
        var receivedHead = false
        var watchdog: Task<Void, Never>?
    }

    /// Starts the request at once.
    init(request: URLRequest, idleTimeout: Double) {
        let (events, continuation) = AsyncThrowingStream<HTTPStreamEvent, any Error>.makeStream()
        self.events = events
        self.continuation = continuation
        state = Mutex(State())
        let configuration = URLSessionConfiguration.ephemeral
        // The watchdog below is the real timeout; URLSession's own is only a backstop.
        configuration.timeoutIntervalForRequest = idleTimeout * 2 + 10
        configuration.timeoutIntervalForResource = 7 * 24 * 3600
        configuration.urlCache = nil
        let delegate = Delegate()
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        task = session.dataTask(with: request)
        delegate.owner.withLock { $0 = self }
        continuation.onTermination = { [weak self] _ in self?.close() }
        let watchdog = Task { await HTTPStream.watch(self, idleTimeout: idleTimeout) }
        state.withLock { $0.watchdog = watchdog }
        task.resume()
    }

    /// Stops the transfer; the stream ends (with `CancellationError` if it was still open).
    func cancel() {
        continuation.finish(throwing: CancellationError())
        close()
    }

    func close() {
        let watchdog = state.withLock { state -> Task<Void, Never>? in
            defer { state.watchdog = nil }
            return state.watchdog
        }
        watchdog?.cancel()
        task.cancel()
        session.invalidateAndCancel()
    }

    private static func watch(_ stream: HTTPStream, idleTimeout: Double) async {
        var deadline = stream.state.withLock { $0.lastActivity }
        let timeout = Duration.milliseconds(Int64(idleTimeout * 1000))
        while true {
            deadline = deadline.advanced(by: timeout)
            do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
            let (last, receivedHead) = stream.state.withLock { ($0.lastActivity, $0.receivedHead) }
            if last.advanced(by: timeout) <= ContinuousClock.now {
                stream.continuation.finish(throwing: HTTPStreamError.idleTimeout(seconds: idleTimeout,
                                                                                  receivedHead: receivedHead))
                stream.close()
                return
            }
            deadline = last
        }
    }

    fileprivate func received(_ event: HTTPStreamEvent) {
        state.withLock {
            $0.lastActivity = .now
            if case .head = event { $0.receivedHead = true }
        }
        continuation.yield(event)
    }

    fileprivate func completed(_ error: (any Error)?) {
        if let error {
            let urlError = (error as? URLError) ?? URLError(URLError.Code(rawValue: (error as NSError).code) ?? .unknown)
            continuation.finish(throwing: urlError.code == .cancelled ? CancellationError() : HTTPStreamError.transport(urlError))
        } else {
            continuation.finish()
        }
        close()
    }

    /// The URLSession delegate. URLSession keeps it alive until the session is invalidated, and it keeps
    /// the stream alive until the transfer completes, so a caller may hold only ``events``.
    private final class Delegate: NSObject, URLSessionDataDelegate, Sendable {
        let owner = Mutex<HTTPStream?>(nil)

        private var stream: HTTPStream? { owner.withLock { $0 } }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    headers[String(describing: key).lowercased()] = String(describing: value)
                }
                stream?.received(.head(status: http.statusCode, headers: headers))
            } else {
                stream?.received(.head(status: 200, headers: [:]))
            }
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            stream?.received(.body(data))
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            let stream = owner.withLock { current -> HTTPStream? in
                defer { current = nil }
                return current
            }
            stream?.completed(error)
        }
    }
}
