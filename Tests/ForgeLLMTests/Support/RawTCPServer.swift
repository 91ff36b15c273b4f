import Foundation

/// A TCP server on 127.0.0.1, port 0, that writes raw bytes: for the misbehaviour an HTTP framework
/// will not produce (an interim `100 Continue`, a head then silence, a close with no answer), and to
/// see from the server's side when the client drops the connection.
///
/// Accepting and each connection run on threads of their own, because they block in the socket
/// calls; a handler returns when it is done with its connection, which is then closed.
final class RawTCPServer: Sendable {
    let port: Int
    private let listener: Int32

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }

    /// Listens at once; `handler` runs once per accepted connection, on that connection's thread.
    init(_ handler: @escaping @Sendable (RawConnection) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread {
            while true {
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else { return }
                Thread {
                    handler(RawConnection(fd: connection))
                }.start()
            }
        }.start()
    }

    /// Stops accepting; `shutdown` wakes the thread blocked in `accept`.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// Runs `body` against a fresh server and stops it afterwards, whatever happens.
    static func with<T>(_ handler: @escaping @Sendable (RawConnection) -> Void,
                        _ body: (RawTCPServer) async throws -> T) async throws -> T {
        let server = try RawTCPServer(handler)
        defer { server.stop() }
        return try await body(server)
    }
}

/// One accepted connection, used on its own thread only; closed when dropped.
final class RawConnection {
    private let fd: Int32
    private var buffered = [UInt8]()

    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
    /// - Returns: the request text, or nil if the client closed first.
    func readRequest() -> String? {
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffered.indices.dropLast(3).first { Array(buffered[$0 ..< $0 + 4]) == separator }
            if headEnd == nil, !receive() { return nil }
        }
        let head = String(decoding: buffered[..<(headEnd! + 4)], as: UTF8.self)
        let lengthLine = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
        let length = lengthLine.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        while buffered.count < headEnd! + 4 + length {
            if !receive() { return nil }
        }
        let request = String(decoding: buffered[..<(headEnd! + 4 + length)], as: UTF8.self)
        buffered.removeFirst(headEnd! + 4 + length)
        return request
    }

    func send(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            bytes = bytes.dropFirst(sent)
        }
    }

    /// Blocks until the client closes its end (or resets the connection).
    func waitUntilClosed() {
        while receive() {}
    }

    /// Reads what is available into the buffer; false at end of stream or on an error.
    private func receive() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffered.append(contentsOf: chunk[..<count])
        return true
    }
}
