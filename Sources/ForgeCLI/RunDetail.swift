import ForgeCore
import ForgeGit
import ForgeStore
import Foundation

/// `forge log RUN` as text: the run's facts, then one line per commit from its trailers.
struct RunDetailText {
    let record: RunRecord
    let commits: [CommitInfo]
    let calls: [LLMCallRecord]

    var text: String {
        var lines = ["run \(record.id)  \(record.status.rawValue)\(record.stopReason.map { "  (\($0))" } ?? "")"]
        lines.append("  spec:     \(CommitSummary.oneLine(record.spec, limit: 100))")
        lines.append("  branch:   \(record.branch) in \(record.repoPath)\(record.baseCommit.isEmpty ? "" : " (base \(record.baseCommit.prefix(8)))")")
        lines.append("  model:    \(record.provider)/\(record.model), language \(record.language)")
        var timing = "  started:  \(Self.timestamp(record.startedAt))"
        if let finished = record.finishedAt { timing += ", took \(Self.duration(finished.timeIntervalSince(record.startedAt)))" }
        lines.append(timing)
        let cost = record.costUSD > 0 ? String(format: ", $%.4f", record.costUSD) : ""
        lines.append("  fixes:    \(record.iterations) of \(record.maxIterations); tokens \(record.promptTokens)+\(record.completionTokens)\(cost) in \(calls.count) model call(s)")
        if commits.isEmpty {
            lines.append("\n  (no commits on \(record.branch), or the repository moved)")
        } else {
            lines.append("")
            lines.append("  " + ["COMMIT  ", "STAGE     ", "ITER", "TESTS               ", "TOKENS     ", "SUMMARY"].joined(separator: " "))
            for commit in commits {
                let cells = [
                    commit.id.short,
                    pad(commit.trailer("Forge-Stage") ?? "?", 10),
                    pad(commit.trailer("Forge-Iteration") ?? "?", 4),
                    pad(commit.trailer("Forge-Tests") ?? "?", 20),
                    pad(commit.trailer("Forge-Tokens") ?? "?", 11),
                    CommitSummary.oneLine(commit.summary, limit: 70),
                ]
                lines.append("  " + cells.joined(separator: " "))
            }
        }
        let failed = calls.filter { !$0.ok }
        if !failed.isEmpty {
            lines.append("")
            lines.append("  failed model calls:")
            for call in failed { lines.append("    \(call.stage) \(call.iteration): \(CommitSummary.oneLine(call.error ?? "?", limit: 100))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: date)
    }

    static func duration(_ seconds: TimeInterval) -> String {
        seconds < 60 ? String(format: "%.1fs", seconds) : "\(Int(seconds) / 60)m\(String(format: "%02d", Int(seconds) % 60))s"
    }
}

/// `forge log RUN --json`.
struct RunDetailJSON {
    let record: RunRecord
    let commits: [CommitInfo]
    let calls: [LLMCallRecord]

    static func summary(_ run: RunRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(run.id), "status": .string(run.status.rawValue), "spec": .string(run.spec),
            "branch": .string(run.branch), "repo": .string(run.repoPath), "base": .string(run.baseCommit),
            "provider": .string(run.provider), "model": .string(run.model), "language": .string(run.language),
            "iterations": .number(Double(run.iterations)), "max_iterations": .number(Double(run.maxIterations)),
            "tokens": .object(["prompt": .number(Double(run.promptTokens)), "completion": .number(Double(run.completionTokens))]),
            "cost_usd": .number(run.costUSD),
            "started_at": .string(ISO8601DateFormatter().string(from: run.startedAt)),
        ]
        if let reason = run.stopReason { object["stop_reason"] = .string(reason) }
        if let passed = run.testsPassed { object["tests_passed"] = .number(Double(passed)) }
        if let failed = run.testsFailed { object["tests_failed"] = .number(Double(failed)) }
        if let code = run.exitCode { object["exit_code"] = .number(Double(code)) }
        if let finished = run.finishedAt { object["finished_at"] = .string(ISO8601DateFormatter().string(from: finished)) }
        return .object(object)
    }

    var text: String {
        guard case .object(var object) = Self.summary(record) else { return "{}\n" }
        object["commits"] = .array(commits.map { commit in
            var entry: [String: JSONValue] = ["id": .string(commit.id.hex), "summary": .string(commit.summary)]
            for trailer in commit.trailers { entry[trailer.key] = .string(trailer.value) }
            return .object(entry)
        })
        object["model_calls"] = .array(calls.map { call in
            .object([
                "stage": .string(call.stage), "iteration": .number(Double(call.iteration)), "ok": .bool(call.ok),
                "prompt_tokens": .number(Double(call.promptTokens)), "completion_tokens": .number(Double(call.completionTokens)),
                "latency_seconds": .number(call.latencySeconds),
            ])
        })
        return JSONValue.object(object).prettyText + "\n"
    }
}
