import ForgeCore
import Foundation
internal import GRDB

extension ForgeStore {
    /// Appends one finished stage to its run's history.
    ///
    /// - Returns: The event with `id` set to its row id (ids grow in append order).
    /// - Throws: `ForgeError(.store)` when the run is not recorded or the write fails.
    public func appendStageEvent(_ event: StageEvent) throws -> StageEvent {
        try write("record stage \(event.stage) of run \(event.runID)") { db in
            try Self.requireRun(event.runID, db)
            try db.execute(sql: """
                INSERT INTO stage_events (run_id, stage, iteration, status, commit_sha, tests_passed,
                    tests_failed, prompt_tokens, completion_tokens, detail, started_at, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [event.runID, event.stage, event.iteration, event.status, event.commit,
                                 event.testsPassed, event.testsFailed, event.promptTokens,
                                 event.completionTokens, Self.capped(event.detail),
                                 event.startedAt.timeIntervalSinceReferenceDate,
                                 event.finishedAt.timeIntervalSinceReferenceDate])
            var stored = event
            stored.id = db.lastInsertedRowID
            stored.detail = Self.capped(event.detail)
            return stored
        }
    }

    /// The run's stage events in the order they were appended.
    public func stageEvents(runID: String) throws -> [StageEvent] {
        try read("read the stages of run \(runID)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM stage_events WHERE run_id = ? ORDER BY id",
                             arguments: [runID]).map(StageEvent.init(row:))
        }
    }

    /// Records one model call of a run.
    ///
    /// - Throws: `ForgeError(.store)` when the run is not recorded or the write fails.
    public func recordLLMCall(_ call: LLMCallRecord) throws {
        try write("record a model call of run \(call.runID)") { db in
            try Self.requireRun(call.runID, db)
            try db.execute(sql: """
                INSERT INTO llm_calls (run_id, stage, iteration, provider, model, prompt_tokens,
                    completion_tokens, latency_seconds, ok, error, started_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [call.runID, call.stage, call.iteration, call.provider, call.model,
                                 call.promptTokens, call.completionTokens, call.latencySeconds, call.ok,
                                 Self.capped(call.error), call.startedAt.timeIntervalSinceReferenceDate])
        }
    }

    /// The run's model calls in the order they were recorded, ids set.
    public func llmCalls(runID: String) throws -> [LLMCallRecord] {
        try read("read the model calls of run \(runID)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM llm_calls WHERE run_id = ? ORDER BY id",
                             arguments: [runID]).map(LLMCallRecord.init(row:))
        }
    }

    /// The tokens of all the run's recorded model calls, failed ones included (they were billed).
    public func usage(runID: String) throws -> Usage {
        try read("sum the tokens of run \(runID)") { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(prompt_tokens), 0) AS prompt, COALESCE(SUM(completion_tokens), 0) AS completion
                FROM llm_calls WHERE run_id = ?
                """, arguments: [runID])
            return Usage(promptTokens: row?["prompt"] ?? 0, completionTokens: row?["completion"] ?? 0)
        }
    }

    /// A readable error for a child row whose run is missing, instead of SQLite's bare
    /// "FOREIGN KEY constraint failed".
    static func requireRun(_ runID: String, _ db: Database) throws {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [runID]) != true {
            throw ForgeError(.store, "no run \(runID) is recorded", hint: "record the run with insertRun first")
        }
    }
}

extension StageEvent {
    init(row: Row) {
        self.init(id: row["id"], runID: row["run_id"], stage: row["stage"], iteration: row["iteration"],
                  status: row["status"], commit: row["commit_sha"], testsPassed: row["tests_passed"],
                  testsFailed: row["tests_failed"], promptTokens: row["prompt_tokens"],
                  completionTokens: row["completion_tokens"], detail: row["detail"],
                  startedAt: Date(timeIntervalSinceReferenceDate: row["started_at"]),
                  finishedAt: Date(timeIntervalSinceReferenceDate: row["finished_at"]))
    }
}

extension LLMCallRecord {
    init(row: Row) {
        self.init(id: row["id"], runID: row["run_id"], stage: row["stage"], iteration: row["iteration"],
                  provider: row["provider"], model: row["model"], promptTokens: row["prompt_tokens"],
                  completionTokens: row["completion_tokens"], latencySeconds: row["latency_seconds"],
                  ok: row["ok"], error: row["error"],
                  startedAt: Date(timeIntervalSinceReferenceDate: row["started_at"]))
    }
}
