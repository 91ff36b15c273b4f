import ForgeCore
import Foundation

/// Something a sandbox limit did to a run, said so the Analyst (and the user) know the run was cut
/// short by forge and not by the code's own logic.
public enum SandboxLimitEvent: Sendable, Equatable, CustomStringConvertible {
    /// The wall clock ran out and every process was killed.
    case timedOut(seconds: Double)
    /// The memory limit was reached: the OOM killer ended `oomKills` processes.
    case memoryLimit(bytes: Int, oomKills: Int)
    /// The process limit refused `refusedForks` forks.
    case processLimit(maximum: Int, refusedForks: Int)
    /// A process used up its CPU time and got SIGXCPU.
    case cpuTimeLimit(seconds: Int)
    /// A process wrote past the file size limit and got SIGXFSZ.
    case fileSizeLimit(bytes: Int)
    /// Output past the cap was dropped.
    case outputCapped(keptBytes: Int)

    public var description: String {
        switch self {
        case .timedOut(let seconds):
            "the sandbox's wall-clock limit (\(format(seconds: seconds))) ran out: every process in it was killed"
        case .memoryLimit(let bytes, let kills):
            "the sandbox's memory limit (\(format(bytes: bytes))) was reached: the OOM killer ended \(kills) process\(kills == 1 ? "" : "es")"
        case .processLimit(let maximum, let refused):
            "the sandbox's process limit (\(maximum)) refused \(refused) fork\(refused == 1 ? "" : "s")"
        case .cpuTimeLimit(let seconds):
            "a process used up its CPU time limit (\(seconds)s) and was killed (SIGXCPU)"
        case .fileSizeLimit(let bytes):
            "a process wrote past the file size limit (\(format(bytes: bytes))) and was killed (SIGXFSZ)"
        case .outputCapped(let kept):
            "the output went past the cap: only the first \(format(bytes: kept)) were kept"
        }
    }

    /// True for the events that end or break a run (everything but the output cap).
    public var stoppedTheRun: Bool {
        if case .outputCapped = self { return false }
        return true
    }

    /// The events a finished run shows: from the cgroup's counters and how the command ended.
    static func collect(limits: SandboxLimits, events: RunCgroup.Events?, timedOut: Bool, exitStatus: Int32?,
                        signal: Int32?, outputTruncated: Bool) -> [SandboxLimitEvent] {
        var result: [SandboxLimitEvent] = []
        if timedOut { result.append(.timedOut(seconds: limits.timeoutSeconds)) }
        if let events, let bytes = limits.memoryBytes, events.oomKills > 0 {
            result.append(.memoryLimit(bytes: bytes, oomKills: events.oomKills))
        }
        if let events, let maximum = limits.maxProcesses, events.refusedForks > 0 {
            result.append(.processLimit(maximum: maximum, refusedForks: events.refusedForks))
        }
        // bwrap and shells report a child killed by signal N as exit status 128+N.
        let killedBy = signal ?? exitStatus.flatMap { $0 > 128 && $0 < 160 ? $0 - 128 : nil }
        if let seconds = limits.cpuSeconds, killedBy == SIGXCPU { result.append(.cpuTimeLimit(seconds: seconds)) }
        if let bytes = limits.fileSizeBytes, killedBy == SIGXFSZ { result.append(.fileSizeLimit(bytes: bytes)) }
        if outputTruncated { result.append(.outputCapped(keptBytes: limits.outputBytes)) }
        return result
    }
}

extension SandboxOutcome {
    /// The outcome of a supervised launch: termination, capped output and what the limits did.
    init(_ result: SupervisedProcess.Result, limits: SandboxLimits, events: RunCgroup.Events?, cgroup: RunCgroup?) {
        let termination: TestReport.Termination
        var exitStatus: Int32?
        var signal: Int32?
        if result.timedOut {
            termination = .timedOut(seconds: limits.timeoutSeconds)
        } else {
            switch result.ending {
            case .exited(let code): termination = .exited(code); exitStatus = code
            case .signalled(let number): termination = .signalled(number); signal = number
            }
        }
        let limitEvents = SandboxLimitEvent.collect(limits: limits, events: events, timedOut: result.timedOut,
                                                    exitStatus: exitStatus, signal: signal,
                                                    outputTruncated: result.output.truncated)
        self.init(termination: termination, output: result.output.text, outputTruncated: result.output.truncated,
                  durationSeconds: result.durationSeconds, limitEvents: limitEvents,
                  cgroupDirectories: Array(Set(cgroup?.members.map(\.directory) ?? [])).sorted())
    }
}
