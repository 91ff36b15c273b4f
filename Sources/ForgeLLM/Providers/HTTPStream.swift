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

/// One HTTP request whose response is read as it streams, through libcurl on a thread of its own
/// feeding an `AsyncThrowingStream`.
///
/// FoundationNetworking's URLSession busy-waits on Linux: about two thirds of a core in futex and
/// epoll calls for as long as a request waits for bytes. forge's default model is a llama.cpp server
/// on the same few cores that may think for minutes before its first token, so the client must cost
/// nothing while it waits. ``CurlTransfer`` sleeps in `poll` until a byte arrives, the idle deadline
/// passes, or ``cancel()`` wakes it.
///
/// The transfer runs on a dedicated thread, never on the Swift cooperative pool, because it blocks.
/// The thread owns the stream's continuation until the transfer ends, so a caller may hold only
/// ``events``. The idle timeout is time without a byte, not total time; the connection attempt has
/// its own limit (``connectTimeout``).
final class HTTPStream: Sendable {
    let events: AsyncThrowingStream<HTTPStreamEvent, any Error>
    private let continuation: AsyncThrowingStream<HTTPStreamEvent, any Error>.Continuation
    private let control: TransferControl

    /// How long to wait for a TCP (and TLS) connection; an idle timeout shorter than this fires first.
    static let connectTimeout = 30.0

    /// Starts the request at once.
    /// - Parameters:
    ///   - idleTimeout: Seconds without a byte after which the exchange fails with ``HTTPStreamError/idleTimeout(seconds:receivedHead:)``.
    ///   - connectTimeout: Seconds to wait for the connection; tests raise it to show that only a cancel ends a wait.
    init(request: URLRequest, idleTimeout: Double, connectTimeout: Double = HTTPStream.connectTimeout) {
        let (events, continuation) = AsyncThrowingStream<HTTPStreamEvent, any Error>.makeStream()
        self.events = events
        self.continuation = continuation
        let control = TransferControl()
        self.control = control
        // The consumer stopped listening (its task was cancelled, or it dropped the stream).
        continuation.onTermination = { _ in control.cancel() }
        let thread = Thread {
            HTTPStream.run(request, idleTimeout: idleTimeout, connectTimeout: connectTimeout,
                           continuation: continuation, control: control)
        }
        thread.name = "forge-http"
        thread.start()
    }

    /// Stops the transfer; the stream ends (with `CancellationError` if it was still open).
    func cancel() {
        continuation.finish(throwing: CancellationError())
        control.cancel()
    }

    /// Stops the transfer if it is still running, e.g. once the reader has the whole answer.
    func close() {
        control.cancel()
    }

    /// The body of the transfer thread: runs the exchange, releases the handles, then ends the stream.
    private static func run(_ request: URLRequest, idleTimeout: Double, connectTimeout: Double,
                            continuation: AsyncThrowingStream<HTTPStreamEvent, any Error>.Continuation,
                            control: TransferControl) {
        let receiver = ResponseReceiver(continuation: continuation)
        switch perform(request, idleTimeout: idleTimeout, connectTimeout: connectTimeout, receiver: receiver,
                       control: control) {
        case .completed:
            receiver.deliverHeadIfPending()
            continuation.finish()
        case .cancelled:
            continuation.finish(throwing: CancellationError())
        case .idle:
            continuation.finish(throwing: HTTPStreamError.idleTimeout(seconds: idleTimeout,
                                                                      receivedHead: receiver.receivedHead))
        case .failed(let error):
            continuation.finish(throwing: HTTPStreamError.transport(error))
        }
    }

    /// Creates, runs and frees the transfer, so the connection is closed before the stream ends.
    private static func perform(_ request: URLRequest, idleTimeout: Double, connectTimeout: Double,
                                receiver: ResponseReceiver, control: TransferControl) -> CurlTransfer.Outcome {
        do {
            let transfer = try CurlTransfer(request: request, receiver: receiver, connectTimeout: connectTimeout)
            return transfer.run(idleTimeout: idleTimeout, control: control)
        } catch {
            return .failed(error)
        }
    }
}

/// The part of a transfer other threads touch: whether it was cancelled, and how to wake its poll.
final class TransferControl: Sendable {
    private struct State {
        var cancelled = false
        /// The poll to interrupt, while a transfer runs; set and cleared by the transfer thread.
        var wake: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Marks the transfer cancelled and wakes it if it is waiting.
    func cancel() {
        // Under the lock, so the transfer cannot free its handle between the check and the wake.
        state.withLock {
            $0.cancelled = true
            $0.wake?()
        }
    }

    /// Registers how to wake the running transfer; false if it was cancelled before it started.
    func attach(wake: @escaping @Sendable () -> Void) -> Bool {
        state.withLock {
            guard !$0.cancelled else { return false }
            $0.wake = wake
            return true
        }
    }

    /// Called before the transfer frees its handles: nobody may wake them afterwards.
    func detach() {
        state.withLock { $0.wake = nil }
    }
}
