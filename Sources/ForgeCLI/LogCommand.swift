import ArgumentParser
import ForgeCore
import ForgeGit
import ForgeStore
import Foundation

/// `forge log`: the runs, or one run's stages.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List runs, or show one run's stages, tests and tokens.",
        discussion: """
            forge log              the latest runs, newest first
            forge log RUN          one run: its commits (stage, iteration, tests, tokens) and model calls
            RUN may be a unique prefix of a run id.
            """
    )

    @Argument(help: "A run id, or a unique prefix of one.")
    var run: String?

    @Option(help: "How many runs to list.")
    var limit = 20

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let store = try ForgeStore(path: global.databaseURL())
        if let run {
            guard let record = try store.run(id: run) else {
                throw ForgeError(.notFound, "no run '\(run)' in \(global.databaseURL().path)", hint: "forge log lists the runs")
            }
            let commits = RunHistory.commits(of: record)
            let text = json ? RunDetailJSON(record: record, commits: commits, calls: try store.llmCalls(runID: record.id)).text
                : RunDetailText(record: record, commits: commits, calls: try store.llmCalls(runID: record.id)).text
            FileHandle.standardOutput.write(Data(text.utf8))
        } else {
            let runs = try store.runs(limit: limit)
            FileHandle.standardOutput.write(Data((json ? Self.jsonList(runs) : Self.table(runs)).utf8))
        }
    }

    static func table(_ runs: [RunRecord]) -> String {
        guard !runs.isEmpty else { return "no runs yet: forge build \"what to build\"\n" }
        var lines = [row("RUN", "STATUS", "FIXES", "TESTS", "TOKENS", "STARTED", "SPEC")]
        for run in runs {
            let tests = run.testsPassed.map { "\($0)/\($0 + (run.testsFailed ?? 0))" } ?? "-"
            lines.append(row(run.id, run.status.rawValue, "\(run.iterations)", tests,
                             "\(run.promptTokens + run.completionTokens)", RunDetailText.timestamp(run.startedAt),
                             CommitSummary.oneLine(run.spec, limit: 50)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ cells: String...) -> String {
        let widths = [20, 11, 5, 7, 8, 19]
        return cells.enumerated().map { index, cell in
            index < widths.count ? cell.padding(toLength: max(widths[index], cell.count), withPad: " ", startingAt: 0) : cell
        }.joined(separator: " ")
    }

    static func jsonList(_ runs: [RunRecord]) -> String {
        JSONValue.array(runs.map(RunDetailJSON.summary)).canonicalText + "\n"
    }
}

/// Reads a run's commits back from its branch, when the repository is still where it was.
enum RunHistory {
    static func commits(of record: RunRecord) -> [CommitInfo] {
        guard let repository = try? GitRepository.open(at: URL(fileURLWithPath: record.repoPath)),
              (try? repository.branchTip(record.branch)) != nil else { return [] }
        let base = record.baseCommit.isEmpty ? nil : CommitID(hex: record.baseCommit)
        return ((try? repository.log(branch: record.branch, until: base)) ?? []).reversed()
    }
}

enum CommitSummary {
    static func oneLine(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }
}
