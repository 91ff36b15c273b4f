import ForgeCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on `server.lock`, so two forge processes starting at once do not both spawn
/// a server. Polled without blocking, so waiting never ties up a concurrency thread.
final class ServerStartLock {
    private var fd: Int32

    static func acquire(_ url: URL) async throws -> ServerStartLock {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ForgeError(.io, "cannot open \(url.path): \(String(cString: strerror(errno)))",
                             hint: "check permissions in \(url.deletingLastPathComponent().path)")
        }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            do {
                try await Task.sleep(for: .milliseconds(200))
            } catch {
                close(fd)
                throw error
            }
        }
        return ServerStartLock(fd: fd)
    }

    private init(fd: Int32) { self.fd = fd }

    /// Unlocks; also done when the lock is dropped.
    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
