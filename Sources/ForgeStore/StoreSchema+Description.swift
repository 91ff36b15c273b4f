import ForgeCore
internal import GRDB

extension StoreSchema {
    /// The schema of `db` as plain lines (tables with their columns, foreign keys, indexes), sorted:
    /// what a test compares to catch an edited migration, and what `forge doctor` may print.
    static func describe(_ db: Database) throws -> [String] {
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY name
            """)
        var lines: [String] = []
        for table in tables {
            let primaryKey = try db.primaryKey(table).columns
            let columns = try db.columns(in: table).map { column in
                var text = "\(column.name) \(column.type)"
                if primaryKey.contains(column.name) { text += " PRIMARY KEY" }
                if column.isNotNull { text += " NOT NULL" }
                if let value = column.defaultValueSQL { text += " DEFAULT \(value)" }
                return text
            }
            lines.append("table \(table) (\(columns.joined(separator: ", ")))")
            for key in try db.foreignKeys(on: table) {
                let origin = key.mapping.map(\.origin).joined(separator: ", ")
                let destination = key.mapping.map(\.destination).joined(separator: ", ")
                let onDelete = try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(\(table.quotedDatabaseIdentifier))")
                    .first { ($0["from"] as String) == key.mapping.first?.origin }?["on_delete"] as String? ?? "?"
                lines.append("foreign key \(table) (\(origin)) -> \(key.destinationTable) (\(destination)) on delete \(onDelete)")
            }
            for index in try db.indexes(on: table) where !index.name.hasPrefix("sqlite_autoindex") {
                lines.append("index \(index.name) on \(table) (\(index.columns.joined(separator: ", ")))")
            }
        }
        return lines
    }

    /// `describe` of a fresh in-memory database migrated up to `identifier` (included).
    static func describe(upTo identifier: String) throws -> [String] {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue, upTo: identifier)
        return try queue.read(describe)
    }
}

extension ForgeStore {
    /// The identifiers of the migrations this database has run, in the order this build knows them.
    public func appliedMigrations() throws -> [String] {
        try read("read the schema version") { try StoreSchema.migrator.appliedMigrations($0) }
    }

    /// SQLite's journal mode for this database ("wal" for a file).
    func journalMode() throws -> String {
        try read("read the journal mode") { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// The schema as `StoreSchema.describe` lines.
    func schemaDescription() throws -> [String] {
        try read("read the schema", StoreSchema.describe)
    }
}
