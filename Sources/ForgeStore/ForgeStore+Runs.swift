import ForgeCore
import Foundation
internal import GRDB

extension ForgeStore {
    /// Records a new run.
    ///
    /// - Throws: `ForgeError(.store)` when a run with the same id exists or the write fails.
    public func insertRun(_ run: RunRecord) throws {
        try write("record run \(run.id)") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [run.id]) == true {
                throw ForgeError(.store, "cannot record run \(run.id): a run with that id is already recorded")
            }
            try db.execute(sql: """
                INSERT INTO runs (\(RunRecord.columns.joined(separator: ", ")))
                VALUES (\(RunRecord.columns.map { _ in "?" }.joined(separator: ", ")))
                """, arguments: run.databaseArguments)
        }
    }

    /// Replaces every column of the run with the same id (status, counters, stop reason, …).
    ///
    /// - Throws: `ForgeError(.store)` when no such run is recorded or the write fails.
    public func updateRun(_ run: RunRecord) throws {
        try write("update run \(run.id)") { db in
            let assignments = RunRecord.columns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
            var arguments = StatementArguments(Array(run.databaseValues.dropFirst()))
            arguments += [run.id]
            try db.execute(sql: "UPDATE runs SET \(assignments) WHERE id = ?", arguments: arguments)
            if db.changesCount == 0 {
                throw ForgeError(.store, "cannot update run \(run.id): no such run is recorded",
                                 hint: "record it with insertRun first")
            }
        }
    }

    /// The run whose id is `id`, or else the one run whose id starts with `id`.
    ///
    /// An exact id always wins, so a full id never becomes ambiguous. A prefix that matches no run,
    /// or an empty string, gives nil.
    ///
    /// - Throws: `ForgeError(.usage)` listing the candidates when the prefix matches several runs.
    public func run(id: String) throws -> RunRecord? {
        guard !id.isEmpty else { return nil }
        let matches = try read("look up run \(id)") { db -> [RunRecord] in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) {
                return [try RunRecord(row: row)]
            }
            // substr, not LIKE: a prefix holding % or _ must match literally.
            return try Row.fetchAll(db, sql: """
                SELECT * FROM runs WHERE substr(id, 1, ?) = ? ORDER BY started_at DESC, id DESC LIMIT 11
                """, arguments: [id.count, id]).map(RunRecord.init(row:))
        }
        guard matches.count > 1 else { return matches.first }
        let shown = matches.prefix(10).map(\.id).joined(separator: ", ")
        throw ForgeError(.usage,
                         "run id '\(id)' is ambiguous: it matches \(matches.count > 10 ? "more than 10" : "\(matches.count)") runs (\(shown))",
                         hint: "give more characters of the run id (forge log lists them)")
    }

    /// The newest runs first, at most `limit`.
    public func runs(limit: Int = 50) throws -> [RunRecord] {
        try read("list runs") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?",
                             arguments: [max(0, limit)]).map(RunRecord.init(row:))
        }
    }
}

extension RunRecord {
    /// The `runs` columns in the order of `databaseValues`; `id` first.
    static let columns = [
        "id", "spec", "repo_path", "branch", "base_commit", "language", "provider", "model", "status",
        "stop_reason", "iterations", "max_iterations", "tests_passed", "tests_failed",
        "prompt_tokens", "completion_tokens", "started_at", "finished_at", "exit_code", "cost_usd",
    ]

    var databaseValues: [(any DatabaseValueConvertible)?] {
        [id, spec, repoPath, branch, baseCommit, language, provider, model, status.rawValue,
         stopReason, iterations, maxIterations, testsPassed, testsFailed,
         promptTokens, completionTokens, startedAt.timeIntervalSinceReferenceDate,
         finishedAt?.timeIntervalSinceReferenceDate, exitCode, costUSD]
    }

    var databaseArguments: StatementArguments { StatementArguments(databaseValues) }

    init(row: Row) throws {
        let rawStatus: String = row["status"]
        guard let status = RunStatus(rawValue: rawStatus) else {
            throw ForgeError(.store, "run \(row["id"] as String) has status '\(rawStatus)', which this forge does not know",
                             hint: "a newer forge wrote it; upgrade forge")
        }
        self.init(id: row["id"], spec: row["spec"], repoPath: row["repo_path"], branch: row["branch"],
                  baseCommit: row["base_commit"], language: row["language"], provider: row["provider"],
                  model: row["model"], status: status, stopReason: row["stop_reason"],
                  iterations: row["iterations"], maxIterations: row["max_iterations"],
                  testsPassed: row["tests_passed"], testsFailed: row["tests_failed"],
                  promptTokens: row["prompt_tokens"], completionTokens: row["completion_tokens"],
                  startedAt: Date(timeIntervalSinceReferenceDate: row["started_at"]),
                  finishedAt: (row["finished_at"] as Double?).map(Date.init(timeIntervalSinceReferenceDate:)),
                  exitCode: row["exit_code"], costUSD: row["cost_usd"])
    }
}
