import Foundation
import Logging
import Synchronization
import Testing
@testable import ForgeSandbox

/// The process-wide cap on concurrent sandboxes: holders and waiters are observed through
/// `usage`, never through timing.
@Suite(.timeLimit(.minutes(1))) struct SandboxSlotsTests {
    /// A latch a slot holder waits on until the test opens it.
    final class Gate: Sendable {
        private let stream: AsyncStream<Void>
        private let continuation: AsyncStream<Void>.Continuation

        init() { (stream, continuation) = AsyncStream<Void>.makeStream() }

        func wait() async { for await _ in stream { return } }
        func open() { continuation.finish() }
    }

    /// What the slot holders did, in order.
    final class Log: Sendable {
        private let entries = Mutex<[Int]>([])
        func append(_ value: Int) { entries.withLock { $0.append(value) } }
        var all: [Int] { entries.withLock { $0 } }
    }

    /// Polls until the slots report `inUse` holders and `waiting` waiters.
    func settle(_ slots: SandboxSlots, inUse: Int, waiting: Int) async throws {
        while await slots.usage != (inUse, waiting) {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func until(_ condition: () -> Bool) async throws {
        while !condition() { try await Task.sleep(for: .milliseconds(5)) }
    }

    @Test func noMoreThanTheCapacityRunAtOnceAndWaitersEnterInOrder() async throws {
        let slots = SandboxSlots(capacity: 2)
        let gates = (0 ..< 4).map { _ in Gate() }
        let entered = Log()
        var tasks: [Task<Void, any Error>] = []
        for index in 0 ..< 4 {
            tasks.append(Task {
                try await slots.withSlot {
                    entered.append(index)
                    await gates[index].wait()
                }
            })
            // Queue in a known order: each task is holding or waiting before the next starts.
            try await settle(slots, inUse: min(index + 1, 2), waiting: max(0, index - 1))
        }
        try await until { entered.all.count == 2 }
        #expect(entered.all == [0, 1])
        // A freed slot is handed over before its new holder runs: wait for the holder itself.
        gates[1].open()
        try await settle(slots, inUse: 2, waiting: 1)
        try await until { entered.all.count == 3 }
        #expect(entered.all == [0, 1, 2])
        gates[0].open()
        try await settle(slots, inUse: 2, waiting: 0)
        try await until { entered.all.count == 4 }
        #expect(entered.all == [0, 1, 2, 3])
        gates[2].open()
        gates[3].open()
        for task in tasks { try await task.value }
        #expect(await slots.usage == (0, 0))
    }

    @Test func aCancelledWaiterLeavesTheQueueWithoutRunning() async throws {
        let slots = SandboxSlots(capacity: 1)
        let gate = Gate()
        let holder = Task { try await slots.withSlot { await gate.wait() } }
        try await settle(slots, inUse: 1, waiting: 0)
        let ran = Log()
        let waiter = Task { try await slots.withSlot { ran.append(1) } }
        try await settle(slots, inUse: 1, waiting: 1)
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        try await settle(slots, inUse: 1, waiting: 0)
        gate.open()
        try await holder.value
        #expect(await slots.usage == (0, 0))
        #expect(ran.all.isEmpty)
    }

    @Test func aProcessDoesNotStartUntilASlotIsFree() async throws {
        let slots = SandboxSlots(capacity: 1)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("forge-slots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let started = scratch.appendingPathComponent("started")

        let gate = Gate()
        let holder = Task { try await slots.withSlot { await gate.wait() } }
        try await settle(slots, inUse: 1, waiting: 0)
        let process = SupervisedProcess(executable: "/bin/sh", arguments: ["-c", "touch \"$0\"", started.path],
                                        environment: [:], timeoutSeconds: 60, outputLimit: 1 << 16)
        let run = Task { try await process.run(logger: Logger(label: "test"), slots: slots) }
        try await settle(slots, inUse: 1, waiting: 1)
        #expect(!FileManager.default.fileExists(atPath: started.path))
        gate.open()
        let result = try await run.value
        try await holder.value
        #expect(result.ending == .exited(0))
        #expect(!result.timedOut)
        #expect(FileManager.default.fileExists(atPath: started.path))
    }

    @Test func theCapacityComesFromTheEnvironmentOrTheCores() {
        #expect(SandboxSlots.defaultCapacity(environment: [:], cores: 2) == 4)
        #expect(SandboxSlots.defaultCapacity(environment: [:], cores: 1) == 2)
        #expect(SandboxSlots.defaultCapacity(environment: ["FORGE_SANDBOX_SLOTS": "3"], cores: 16) == 3)
        #expect(SandboxSlots.defaultCapacity(environment: ["FORGE_SANDBOX_SLOTS": "0"], cores: 2) == 4)
        #expect(SandboxSlots.defaultCapacity(environment: ["FORGE_SANDBOX_SLOTS": "many"], cores: 2) == 4)
        #expect(SandboxSlots(capacity: 0).capacity == 1)
    }
}
