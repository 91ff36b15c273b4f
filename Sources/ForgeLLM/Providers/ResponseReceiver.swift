import Foundation

/// Turns libcurl's header lines and body bytes into ``HTTPStreamEvent``s, and remembers when the last
/// byte came for the idle timeout.
///
/// Lives on the transfer thread only: libcurl calls it from inside `curl_multi_perform`, and the
/// transfer loop reads ``lastByte`` between calls.
final class ResponseReceiver {
    private let continuation: AsyncThrowingStream<HTTPStreamEvent, any Error>.Continuation
    private var parser = ResponseHeadParser()
    private(set) var lastByte = ContinuousClock.now
    private(set) var receivedHead = false
    /// The stream was finished or dropped by its consumer: the transfer should stop.
    private(set) var consumerGone = false

    init(continuation: AsyncThrowingStream<HTTPStreamEvent, any Error>.Continuation) {
        self.continuation = continuation
    }

    /// One header line as libcurl delivers it (status lines, fields, the blank line, trailers).
    func header(_ bytes: UnsafeRawBufferPointer) {
        lastByte = .now
        guard !receivedHead, let head = parser.feed(line: String(decoding: bytes, as: UTF8.self)) else { return }
        deliver(.head(status: head.status, headers: head.headers))
    }

    /// Body bytes; false when nobody listens any more, which makes libcurl abort the transfer.
    func body(_ bytes: UnsafeRawBufferPointer) -> Bool {
        lastByte = .now
        deliverHeadIfPending()
        deliver(.body(Data(bytes)))
        return !consumerGone
    }

    /// Sends the head if a status line came but its block never ended (libcurl always ends it; this
    /// keeps the promise that a body never comes without a head).
    func deliverHeadIfPending() {
        guard !receivedHead, let head = parser.pending else { return }
        deliver(.head(status: head.status, headers: head.headers))
    }

    private func deliver(_ event: HTTPStreamEvent) {
        if case .head = event { receivedHead = true }
        if case .terminated = continuation.yield(event) { consumerGone = true }
    }
}

/// Reads the header block(s) of one HTTP response into a status and lowercased header fields.
///
/// A response may carry several blocks: interim `1xx` answers (`100 Continue`, `103 Early Hints`)
/// come before the final one, each with its own status line. Only the final block counts.
struct ResponseHeadParser {
    struct Head: Equatable {
        var status: Int
        var headers: [String: String]
    }

    /// The block read so far, from its status line on.
    private(set) var pending: Head?

    /// Feeds one line (with or without its CRLF); returns the head when a final block ends.
    mutating func feed(line: String) -> Head? {
        let text = line.trimmingCharacters(in: .newlines)
        if text.hasPrefix("HTTP/") {
            // "HTTP/1.1 200 OK", "HTTP/2 200": the status is the second word.
            let words = text.split(separator: " ", maxSplits: 2)
            pending = Head(status: words.count > 1 ? Int(words[1]) ?? 0 : 0, headers: [:])
            return nil
        }
        guard var head = pending else { return nil }
        if text.isEmpty {
            pending = nil
            // An interim answer (101 switches protocols, which forge never asks for, and is final).
            if (100 ..< 200).contains(head.status), head.status != 101 { return nil }
            return head
        }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        // Repeated fields fold into one, comma-separated, as HTTP allows.
        head.headers[name] = head.headers[name].map { "\($0), \(value)" } ?? value
        pending = head
        return nil
    }
}
