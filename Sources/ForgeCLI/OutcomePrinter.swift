import ForgeCore
import ForgeGit
import ForgePipeline
import Foundation

/// The result of a run on stdout: a few lines a person can act on, or one JSON object for CI.
struct OutcomePrinter {
    var json: Bool

    func print(_ outcome: RunOutcome) {
        let text = json ? jsonText(outcome) : humanText(outcome)
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    func humanText(_ o: RunOutcome) -> String {
        let tests = o.lastReport?.summary ?? "no tests ran"
        let fixes = o.iterations == 1 ? "1 fix" : "\(o.iterations) fixes"
        var lines: [String] = []
        switch o.status {
        case .passed: lines.append("✔ tests pass (\(tests)) after \(fixes) — run \(o.runID)")
        case .failed: lines.append("✘ tests still failing: \(o.stopReason) — run \(o.runID)")
        case .interrupted: lines.append("■ interrupted — run \(o.runID); continue with: forge resume \(o.runID)")
        case .error: lines.append("✘ run \(o.runID) stopped: \(o.error?.description ?? o.stopReason)")
        }
        let cost = o.cost > 0 ? String(format: ", $%.4f", o.cost) : ""
        lines.append("  tokens \(o.usage.trailerValue) (prompt+completion)\(cost), \(TerminalReporter.duration(o.seconds)), \(o.commits.count) commit(s) on \(o.branch)")
        if !o.commits.isEmpty {
            let base = o.base?.short ?? "\(o.branch)~\(o.commits.count)"
            lines.append("  review:  git log --stat \(o.base == nil ? o.branch : "\(base)..\(o.branch)")")
            if o.base != nil { lines.append("           git diff \(base) \(o.branch)") }
            lines.append("  details: forge log \(o.runID)")
            if o.status == .passed { lines.append("  take it: git merge \(o.branch)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func jsonText(_ o: RunOutcome) -> String {
        var object: [String: JSONValue] = [
            "run": .string(o.runID.rawValue),
            "branch": .string(o.branch),
            "status": .string(o.status.rawValue),
            "exit_code": .number(Double(o.exitStatus.rawValue)),
            "stop_reason": .string(o.stopReason),
            "iterations": .number(Double(o.iterations)),
            "commits": .array(o.commits.map { .string($0.hex) }),
            "tokens": .object(["prompt": .number(Double(o.usage.promptTokens)), "completion": .number(Double(o.usage.completionTokens))]),
            "cost_usd": .number(o.cost),
            "seconds": .number((o.seconds * 10).rounded() / 10),
        ]
        if let base = o.base { object["base"] = .string(base.hex) }
        if let report = o.lastReport {
            object["tests"] = .object([
                "passed": .number(Double(report.passed)), "failed": .number(Double(report.failed + report.errors)),
                "skipped": .number(Double(report.skipped)), "all_passed": .bool(report.allPassed),
            ])
        }
        if let error = o.error { object["error"] = .string(error.description) }
        return JSONValue.object(object).canonicalText + "\n"
    }
}
