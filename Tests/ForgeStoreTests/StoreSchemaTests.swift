import ForgeCore
import Foundation
import Testing
@testable import ForgeStore

@Suite struct StoreSchemaTests {
    /// Shipped migrations are never edited, renamed or removed: this list may only grow at its end.
    /// Editing the expected list to make this test pass means a database in the field breaks.
    @Test func migrationIdentifiersOnlyGrow() {
        let shipped = ["v1-runs", "v1-stage-events", "v1-llm-calls", "v2-run-cost", "v2-memory"]
        let current = ForgeStore.migrationIdentifiers
        #expect(Array(current.prefix(shipped.count)) == shipped)
        #expect(current.count >= shipped.count)
        #expect(Set(current).count == current.count, "migration identifiers must be unique")
    }

    /// The schema that the shipped migrations build. A change here means a shipped migration was
    /// edited: revert it and append a new migration instead.
    @Test func shippedMigrationsBuildTheSameSchema() throws {
        let schema = try StoreSchema.describe(upTo: "v1-llm-calls")
        #expect(schema == Self.shippedSchema)
    }

    @Test func openingAFileCreatesTheSchemaInWALMode() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("nested/deeper/forge.sqlite")
        let store = try ForgeStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path.path))
        #expect(try store.journalMode() == "wal")
        #expect(try store.appliedMigrations() == ForgeStore.migrationIdentifiers)
        let schema = try store.schemaDescription()
        // Later migrations may add columns, but the foreign keys and run_id indexes stay.
        for line in Self.shippedSchema where !line.hasPrefix("table ") { #expect(schema.contains(line)) }
    }

    @Test func reopeningAFileKeepsTheData() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("forge.sqlite")
        let run = sampleRun("20260101-120000-abcd")
        do {
            let store = try ForgeStore(path: path)
            try store.insertRun(run)
            try store.recordLLMCall(LLMCallRecord(runID: run.id, stage: "pm", provider: "replay", model: "m",
                                                  promptTokens: 12, completionTokens: 3))
        }
        let reopened = try ForgeStore(path: path)
        #expect(try reopened.run(id: run.id) == run)
        #expect(try reopened.usage(runID: run.id) == Usage(promptTokens: 12, completionTokens: 3))
        #expect(try reopened.appliedMigrations() == ForgeStore.migrationIdentifiers)
    }

    /// Two processes opening a new file at once both try to migrate it; neither may fail.
    @Test func twoStoresOpeningANewFileTogetherBothSucceed() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for attempt in 0 ..< 8 {
            let path = dir.file("race-\(attempt).sqlite")
            let opened = try await onThreads(3) { _ in try ForgeStore(path: path) }
            #expect(opened.count == 3)
            try opened[0].insertRun(sampleRun("run-\(attempt)"))
            for store in opened { #expect(try store.run(id: "run-\(attempt)") != nil) }
        }
    }

    @Test func aPathUnderAFileGivesAStoreErrorWithTheHint() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // Root may write anywhere, so "not writable" is made with a regular file where a directory
        // must be: neither root nor anyone can create a database below it.
        let blocker = dir.file("not-a-directory")
        try Data("x".utf8).write(to: blocker)
        let path = blocker.appendingPathComponent("forge.sqlite")
        let error = try #require(throws: ForgeError.self) { try ForgeStore(path: path) }
        #expect(error.code == .store)
        #expect(error.message.hasPrefix("cannot open the forge database at \(path.path): "))
        #expect(error.hint == "pass --db PATH or set FORGE_DB")
    }

    @Test func aDirectoryInPlaceOfTheFileGivesAStoreError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("forge.sqlite")
        try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
        let error = try #require(throws: ForgeError.self) { try ForgeStore(path: path) }
        #expect(error.code == .store)
        #expect(error.message.hasPrefix("cannot open the forge database at \(path.path): "))
        #expect(error.hint == "pass --db PATH or set FORGE_DB")
    }

    @Test func aFileThatIsNotADatabaseGivesAStoreError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("forge.sqlite")
        try Data(String(repeating: "this is not sqlite\n", count: 200).utf8).write(to: path)
        let error = try #require(throws: ForgeError.self) { try ForgeStore(path: path) }
        #expect(error.code == .store)
        #expect(error.message.contains(path.path))
    }

    static let shippedSchema: [String] = [
        "table llm_calls (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, stage TEXT NOT NULL, "
            + "iteration INTEGER NOT NULL DEFAULT 0, provider TEXT NOT NULL, model TEXT NOT NULL, "
            + "prompt_tokens INTEGER NOT NULL DEFAULT 0, completion_tokens INTEGER NOT NULL DEFAULT 0, "
            + "latency_seconds REAL NOT NULL DEFAULT 0, ok INTEGER NOT NULL, error TEXT, started_at REAL NOT NULL)",
        "foreign key llm_calls (run_id) -> runs (id) on delete CASCADE",
        "index llm_calls_run_id on llm_calls (run_id)",
        "table runs (id TEXT PRIMARY KEY NOT NULL, spec TEXT NOT NULL, repo_path TEXT NOT NULL, "
            + "branch TEXT NOT NULL, base_commit TEXT NOT NULL, language TEXT NOT NULL, provider TEXT NOT NULL, "
            + "model TEXT NOT NULL, status TEXT NOT NULL, stop_reason TEXT, iterations INTEGER NOT NULL DEFAULT 0, "
            + "max_iterations INTEGER NOT NULL DEFAULT 0, tests_passed INTEGER, tests_failed INTEGER, "
            + "prompt_tokens INTEGER NOT NULL DEFAULT 0, completion_tokens INTEGER NOT NULL DEFAULT 0, "
            + "started_at REAL NOT NULL, finished_at REAL, exit_code INTEGER)",
        "index runs_started_at on runs (started_at)",
        "table stage_events (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, stage TEXT NOT NULL, "
            + "iteration INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL, commit_sha TEXT, tests_passed INTEGER, "
            + "tests_failed INTEGER, prompt_tokens INTEGER NOT NULL DEFAULT 0, "
            + "completion_tokens INTEGER NOT NULL DEFAULT 0, detail TEXT, started_at REAL NOT NULL, "
            + "finished_at REAL NOT NULL)",
        "foreign key stage_events (run_id) -> runs (id) on delete CASCADE",
        "index stage_events_run_id on stage_events (run_id)",
    ]
}
