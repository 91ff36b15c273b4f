import ForgeCore
import ForgePipeline
import Foundation

/// `forge bench`'s output: a table for people, or one JSON object for scripts.
struct BenchReport {
    let mode: BenchMode
    let results: [BenchResult]

    var passed: Int { results.count { $0.passed } }
    var passRate: Double { results.isEmpty ? 0 : Double(passed) / Double(results.count) }

    var table: String {
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        var lines = [[pad("TASK", 16), pad("PASSED", 6), pad("ITER", 4), pad("TOKENS", 7), pad("COST", 8), pad("SECONDS", 7), "STOP"]
            .joined(separator: " ")]
        for result in results {
            lines.append([pad(result.id, 16), pad(result.passed ? "yes" : "no", 6), pad("\(result.iterations)", 4),
                          pad("\(result.tokens)", 7), pad(String(format: "$%.4f", result.cost), 8),
                          pad(String(format: "%.1f", result.seconds), 7), CommitSummaryText.oneLine(result.stopReason, limit: 60)]
                .joined(separator: " "))
        }
        let solved = results.filter(\.passed)
        let tokensPerSolved = solved.isEmpty ? 0 : results.reduce(0) { $0 + $1.tokens } / solved.count
        let meanIterations = results.isEmpty ? 0 : Double(results.reduce(0) { $0 + $1.iterations }) / Double(results.count)
        lines.append("")
        lines.append(String(format: "%@: %d/%d passed (%.1f%%), mean iterations %.2f, tokens per solved task %d",
                            mode.rawValue, passed, results.count, passRate * 100, meanIterations, tokensPerSolved))
        return lines.joined(separator: "\n") + "\n"
    }

    var json: String {
        let tasks: [JSONValue] = results.map { result in
            .object([
                "id": .string(result.id), "passed": .bool(result.passed), "iterations": .number(Double(result.iterations)),
                "tokens": .number(Double(result.tokens)), "cost": .number(result.cost),
                "seconds": .number((result.seconds * 10).rounded() / 10), "stop_reason": .string(result.stopReason),
            ])
        }
        let summary: JSONValue = .object([
            "mode": .string(mode.rawValue), "passed": .number(Double(passed)), "total": .number(Double(results.count)),
            "pass_rate": .number((passRate * 10000).rounded() / 10000),
        ])
        return JSONValue.object(["tasks": .array(tasks), "summary": summary]).canonicalText + "\n"
    }
}

enum CommitSummaryText {
    static func oneLine(_ text: String, limit: Int) -> String { CommitSummary.oneLine(text, limit: limit) }
}
