import Dispatch
import Foundation

/// Runs an operation that Ctrl-C cancels instead of killing: the pipeline then records the run as
/// interrupted and leaves its branch in a resumable state. A second Ctrl-C exits at once.
enum Interruptible {
    static func run<T: Sendable>(_ operation: sending @escaping () async throws -> T) async throws -> T {
        let task = Task { try await operation() }
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        let pressed = LockedCounter()
        for source in sources {
            source.setEventHandler {
                if pressed.increment() > 1 { exit(130) }
                FileHandle.standardError.write(Data("\nforge: interrupting — finishing the bookkeeping (Ctrl-C again to quit at once)\n".utf8))
                task.cancel()
            }
            source.resume()
        }
        defer {
            sources.forEach { $0.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        return try await task.value
    }
}
