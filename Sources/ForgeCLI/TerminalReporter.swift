import ForgeCore
import ForgeGit
import ForgePipeline
import Foundation
import Synchronization

/// Prints a run's progress to stderr: one line per stage, with a live token counter when stderr is
/// a terminal. stdout is left for the final result, so `forge build … > result.txt` stays clean.
final class TerminalReporter: PipelineReporter {
    private struct State {
        var liveLine = false
        var lastTokens = 0
        /// Per stage, because verify runs inside the tests and fix stages and must not reset their clocks.
        var started: [Stage: Date] = [:]
        var iteration = 0
    }

    private let state = Mutex(State())
    private let interactive: Bool
    private let quiet: Bool

    init(quiet: Bool = false) {
        interactive = isatty(STDERR_FILENO) == 1
        self.quiet = quiet
    }

    func runStarted(runID: RunID, branch: String, base: CommitID?, language: String, model: String) {
        write("forge: run \(runID) on branch \(branch) (base \(base?.short ?? "empty"), \(language), \(model))\n")
    }

    func stageStarted(_ stage: Stage, iteration: Int, detail: String) {
        state.withLock {
            if $0.started[stage] == nil { $0.started[stage] = Date() }
            $0.lastTokens = 0
            $0.iteration = iteration
        }
        let line = "  \(label(stage, iteration)) \(detail) …"
        if interactive {
            state.withLock { $0.liveLine = true }
            write("\r\u{1B}[2K" + line)
        } else {
            write(line + "\n")
        }
    }

    func modelProgress(_ stage: Stage, completionTokens: Int) {
        guard interactive else { return }
        // Redraw at most every 8 tokens: cheap, and still visibly alive on a slow CPU model.
        let redraw = state.withLock { s -> Int? in
            guard completionTokens - s.lastTokens >= 8 else { return nil }
            s.lastTokens = completionTokens
            return s.iteration
        }
        if let iteration = redraw { write("\r\u{1B}[2K  \(label(stage, iteration)) generating … \(completionTokens) tokens") }
    }

    func stageFinished(_ stage: Stage, iteration: Int, summary: String, commit: CommitID?) {
        let elapsed = state.withLock { s -> TimeInterval in
            s.liveLine = false
            return Date().timeIntervalSince(s.started.removeValue(forKey: stage) ?? Date())
        }
        let commitText = commit.map { " [\($0.short)]" } ?? ""
        let mark = stage == .verify ? "→" : "✓"
        write((interactive ? "\r\u{1B}[2K" : "") + "  \(label(stage, iteration)) \(mark) \(summary)\(commitText) (\(Self.duration(elapsed)))\n")
    }

    func runFinished(_ outcome: RunOutcome) {
        if interactive, state.withLock({ $0.liveLine }) { write("\n") }
    }

    func note(_ text: String) { write("forge: \(text)\n") }

    private func label(_ stage: Stage, _ iteration: Int) -> String {
        let name = iteration > 0 ? "\(stage.rawValue) \(iteration)" : stage.rawValue
        return name.padding(toLength: 11, withPad: " ", startingAt: 0)
    }

    private func write(_ text: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func duration(_ seconds: TimeInterval) -> String {
        seconds < 60 ? String(format: "%.1fs", seconds) : "\(Int(seconds) / 60)m\(String(format: "%02d", Int(seconds) % 60))s"
    }
}
