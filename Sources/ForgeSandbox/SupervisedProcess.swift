import Foundation
import Logging
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// A host process run in its own session under a wall-clock limit, its stdout and stderr captured
/// together and capped.
///
/// The process leads a new session (so its process group is its own): on timeout the whole group
/// gets SIGKILL. A process that leaves the group (bubblewrap's sandboxed command calls `setsid`) is
/// reached another way: its pid namespace dies with the namespace's init, and ``run(logger:)`` waits
/// for that namespace to empty before returning.
struct SupervisedProcess: Sendable {
    enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    struct Result: Sendable {
        var ending: Ending
        var timedOut: Bool
        var output: CappedOutput
        var durationSeconds: Double
    }

    var executable: String
    var arguments: [String]
    /// Nil inherits forge's environment (only for trusted host commands such as a profile's probe).
    var environment: [String: String]?
    var workingDirectory: String?
    var timeoutSeconds: Double
    var outputLimit: Int
    var expectedPrefix: [UInt8] = []
    /// True when the process starts a pid namespace (bwrap): `run` then returns only once every
    /// process in it is gone.
    var followsPidNamespace = false
    /// The run's cgroup: killed with the process group at the timeout, and emptied once the process
    /// exits, so nothing it started (even a daemon that left its session) outlives it.
    var cgroup: RunCgroup?
    /// Called once when the process is killed (timeout or cancellation), for what a signal to the
    /// process group cannot reach (a container the engine runs elsewhere). Must not block.
    var onKill: (@Sendable () -> Void)?

    /// Runs the process to its end or its timeout, once one of the process's ``SandboxSlots`` is free.
    ///
    /// The timeout and the reported duration start when the process does, not while it waits.
    ///
    /// - Throws: `SubprocessError` when the process cannot be spawned; `CancellationError` when
    ///   cancelled while waiting for a slot.
    func run(logger: Logger, slots: SandboxSlots = .shared) async throws -> Result {
        let usage = await slots.usage
        if usage.inUse >= slots.capacity {
            logger.debug("waiting for a sandbox slot", metadata: ["slots": "\(slots.capacity)", "waiting": "\(usage.waiting)"])
        }
        return try await slots.withSlot { try await runNow(logger: logger) }
    }

    private func runNow(logger: Logger) async throws -> Result {
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = []  // on cancellation Subprocess ends with SIGKILL, as we want
        let env: Subprocess.Environment
        if let environment {
            var keys: [Subprocess.Environment.Key: String] = [:]
            for (name, value) in environment {
                if let key = Subprocess.Environment.Key(rawValue: name) { keys[key] = value }
            }
            env = .custom(keys)
        } else {
            env = .inherit
        }
        let start = ContinuousClock.now
        let timeout = Duration.milliseconds(Int64((max(0, timeoutSeconds) * 1000).rounded()))
        let limit = outputLimit
        let prefix = expectedPrefix
        let follow = followsPidNamespace
        let cgroup = cgroup
        let onKill = onKill

        let execution = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments), environment: env,
            workingDirectory: workingDirectory.map { FilePath($0) }, platformOptions: options,
            input: .none, output: .sequence, error: .combinedWithOutput
        ) { execution -> (CappedOutput, Bool) in
            let pid = execution.processIdentifier.value
            async let drained: CappedOutput = {
                var collected = CappedOutput(limit: limit, expectedPrefix: prefix)
                do {
                    for try await buffer in execution.standardOutput {
                        buffer.withUnsafeBytes { collected.append($0) }
                    }
                } catch {
                    // The read is cancelled once the process exits; what was read is kept.
                    logger.debug("output stream ended early", metadata: ["error": "\(error)"])
                }
                collected.finish()
                return collected
            }()
            let timedOut = await Self.watch(pid: pid, deadline: start + timeout, followNamespace: follow,
                                            cgroup: cgroup, onKill: onKill, logger: logger)
            // A leftover process may still hold the output pipe open: end it before waiting for EOF.
            if let cgroup, !(await cgroup.killUntilEmpty(deadline: .now + .seconds(10))) {
                logger.warning("processes of a finished sandbox are still alive", metadata: ["cgroup": "\(cgroup.name)"])
            }
            return (await drained, timedOut)
        }

        let ending: Ending
        switch execution.terminationStatus {
        case .exited(let code): ending = .exited(code)
        case .signaled(let signal): ending = .signalled(signal)
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(ending: ending, timedOut: execution.closureResult.1, output: execution.closureResult.0,
                      durationSeconds: seconds)
    }

    /// Polls until the process exits or the deadline passes, killing its process group at the
    /// deadline; then, when the process heads a pid namespace, waits for that namespace to empty.
    ///
    /// - Returns: true when the process was killed for running out of time.
    private static func watch(pid: Int32, deadline: ContinuousClock.Instant, followNamespace: Bool,
                              cgroup: RunCgroup?, onKill: (@Sendable () -> Void)?, logger: Logger) async -> Bool {
        let own = ProcessTable.pidNamespace(of: getpid())
        var namespaces: Set<String> = []
        var timedOut = false
        var killed = false
        // Short commands end within milliseconds: poll every millisecond at first, then ease off.
        let watchStart = ContinuousClock.now
        func killEverything() {
            kill(-pid, SIGKILL)
            cgroup?.killAll()
            if !killed { onKill?() }
            killed = true
        }
        while !ProcessTable.hasExited(pid) {
            if followNamespace && namespaces.isEmpty {
                // bwrap's child is the new namespace's init; note it while it is alive.
                namespaces = Set(ProcessTable.children(of: pid).compactMap(ProcessTable.pidNamespace(of:)))
                    .subtracting([own].compactMap { $0 })
            }
            if Task.isCancelled {
                // forge is being interrupted: end the sandbox now rather than at the deadline.
                killEverything()
            } else if ContinuousClock.now >= deadline {
                // The process leads its own session, so its pid is its process group's id; the
                // group stays ours until Subprocess reaps the leader after this closure returns.
                killEverything()
                logger.info("sandbox timed out; killed its process group", metadata: ["pid": "\(pid)"])
                timedOut = true
                break
            }
            let watched = ContinuousClock.now - watchStart
            await Self.pause(milliseconds: watched < .milliseconds(100) ? 1 : watched < .seconds(2) ? 5 : 20)
        }
        if !namespaces.isEmpty {
            let emptied = await ProcessTable.waitUntilEmpty(namespaces, deadline: .now + .seconds(10))
            if !emptied {
                logger.warning("processes of a finished sandbox are still alive",
                               metadata: ["namespaces": "\(namespaces.sorted())"])
            }
        }
        return timedOut
    }

    /// Sleeps one polling interval, even in a cancelled task: the watcher must keep watching until
    /// the process it killed is gone, without spinning.
    static func pause(milliseconds: Int = 20) async {
        if Task.isCancelled {
            await Task { try? await Task.sleep(for: .milliseconds(milliseconds)) }.value
        } else {
            try? await Task.sleep(for: .milliseconds(milliseconds))
        }
    }
}
