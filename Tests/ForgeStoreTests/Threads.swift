import Foundation
import Synchronization

/// Runs `body(0 ..< count)` on GCD threads at once and waits without holding a Swift concurrency
/// thread. SQLite lock waits are blocking calls; run as tasks they would pin the pool's threads
/// (one per core, two here) and starve every other test running in parallel.
func onThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) async throws -> [T] {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            let results = Mutex([Result<T, any Error>?](repeating: nil, count: count))
            DispatchQueue.concurrentPerform(iterations: count) { index in
                let result = Result { try body(index) }
                results.withLock { $0[index] = result }
            }
            continuation.resume(with: Result { try results.withLock { $0 }.map { try $0!.get() } })
        }
    }
}
