internal import GRDB

/// The database schema as a list of migrations, applied in order and recorded in `grdb_migrations`.
///
/// Append-only: a migration that has shipped is never edited, renamed or removed, because databases
/// in the field have already run it and will not run it again. Change the schema by appending a new
/// migration (`v2-…`). The SQL is written out rather than built with GRDB's table builders so that
/// what a shipped migration does cannot change with a GRDB upgrade.
///
/// Dates are REAL seconds since 2001-01-01 UTC (Foundation's reference date), so a `Date` reads back
/// equal to the one written; in `sqlite3`: `datetime(started_at + 978307200, 'unixepoch')`.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }

    /// Every migration forge has shipped, oldest first.
    static let migrations: [(identifier: String, sql: String)] = [
        ("v1-runs", """
            CREATE TABLE runs (
                id TEXT NOT NULL PRIMARY KEY,
                spec TEXT NOT NULL,
                repo_path TEXT NOT NULL,
                branch TEXT NOT NULL,
                base_commit TEXT NOT NULL,
                language TEXT NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                status TEXT NOT NULL,
                stop_reason TEXT,
                iterations INTEGER NOT NULL DEFAULT 0,
                max_iterations INTEGER NOT NULL DEFAULT 0,
                tests_passed INTEGER,
                tests_failed INTEGER,
                prompt_tokens INTEGER NOT NULL DEFAULT 0,
                completion_tokens INTEGER NOT NULL DEFAULT 0,
                started_at REAL NOT NULL,
                finished_at REAL,
                exit_code INTEGER
            );
            CREATE INDEX runs_started_at ON runs (started_at);
            """),
        ("v1-stage-events", """
            CREATE TABLE stage_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                stage TEXT NOT NULL,
                iteration INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL,
                commit_sha TEXT,
                tests_passed INTEGER,
                tests_failed INTEGER,
                prompt_tokens INTEGER NOT NULL DEFAULT 0,
                completion_tokens INTEGER NOT NULL DEFAULT 0,
                detail TEXT,
                started_at REAL NOT NULL,
                finished_at REAL NOT NULL
            );
            CREATE INDEX stage_events_run_id ON stage_events (run_id);
            """),
        ("v1-llm-calls", """
            CREATE TABLE llm_calls (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                stage TEXT NOT NULL,
                iteration INTEGER NOT NULL DEFAULT 0,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                prompt_tokens INTEGER NOT NULL DEFAULT 0,
                completion_tokens INTEGER NOT NULL DEFAULT 0,
                latency_seconds REAL NOT NULL DEFAULT 0,
                ok INTEGER NOT NULL,
                error TEXT,
                started_at REAL NOT NULL
            );
            CREATE INDEX llm_calls_run_id ON llm_calls (run_id);
            """),
        ("v2-run-cost", """
            ALTER TABLE runs ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
            """),
        ("v2-memory", """
            CREATE VIRTUAL TABLE memory USING fts5(
                spec, prd, design, files,
                run_id UNINDEXED, language UNINDEXED, created_at UNINDEXED
            );
            """),
    ]

    /// Runs the migrations that `db` lacks.
    ///
    /// GRDB's migrator reads the applied list before it opens each migration's transaction, so two
    /// processes opening a new database together can both try `v1-runs`; the loser fails with "table
    /// already exists". When a failed attempt finds that another connection applied migrations in the
    /// meantime, it tries again from the new state; a failure with no progress elsewhere is real.
    static func migrate(_ writer: any DatabaseWriter) throws {
        let migrator = self.migrator
        var applied = try writer.read { try migrator.appliedIdentifiers($0) }
        while true {
            do {
                try migrator.migrate(writer)
                return
            } catch {
                let now = try writer.read { try migrator.appliedIdentifiers($0) }
                guard now.count > applied.count else { throw error }
                applied = now
            }
        }
    }
}
