import Foundation

/// How many sandboxed processes one forge process runs at once; the rest wait their turn, first
/// come first served.
///
/// A sandbox's timeout is wall-clock time, so oversubscribed cores turn into false results: a test
/// run that needs one second of CPU, started beside twenty others on two cores, can be killed as
/// "timed out" and reported as a failure the code did not have. `forge bench --jobs N`, a pipeline
/// probing several draws, and forge's own test suite all start sandboxes concurrently; the slots
/// keep each run's wall time close to its CPU time, and forge's own threads (the model client, the
/// loop) responsive beside them. Time spent waiting for a slot is not part of a run's timeout or
/// its reported duration.
///
/// The default is twice the core count (a run also waits on I/O and on starting Python), at least
/// two; `FORGE_SANDBOX_SLOTS` overrides it.
public actor SandboxSlots {
    /// The slots every runner in this process shares.
    public static let shared = SandboxSlots(capacity: defaultCapacity(
        environment: ProcessInfo.processInfo.environment, cores: ProcessInfo.processInfo.activeProcessorCount))

    public nonisolated let capacity: Int
    private var inUse = 0
    private var waiting: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// `FORGE_SANDBOX_SLOTS` when it is a positive whole number, else twice `cores`, at least two.
    public static func defaultCapacity(environment: [String: String], cores: Int) -> Int {
        if let text = environment["FORGE_SANDBOX_SLOTS"], let value = Int(text.trimmingCharacters(in: .whitespaces)),
           value > 0 {
            return value
        }
        return max(2, 2 * cores)
    }

    /// Runs `body` while holding a slot, waiting for one first if all are taken.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while it waits (it then never runs
    ///   `body`), or what `body` throws.
    public func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await body()
    }

    /// Slots taken and callers waiting, for tests and progress messages.
    public var usage: (inUse: Int, waiting: Int) { (inUse, waiting.count) }

    private func acquire() async throws {
        try Task.checkCancellation()
        if inUse < capacity {
            inUse += 1
            return
        }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiting.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Hands the slot straight to the longest waiter, or frees it.
    private func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().continuation.resume()
        }
    }

    /// A cancelled waiter leaves the queue; if it was already handed a slot, nothing happens here
    /// and it releases that slot as usual.
    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
