import ForgeCore
import Foundation
internal import GRDB

/// forge's database of runs: one row per run, the stage events and model calls under it.
///
/// Many forge processes may share one file (two `forge build`s in different repos, a `forge log`
/// beside them), so the file is opened as a WAL `DatabasePool` with a busy timeout: readers never
/// wait, and a writer waits for another process's write instead of failing with "database is
/// locked". Every write is one short transaction.
///
/// The store keeps numbers and names; it is never given API keys or prompt text.
public final class ForgeStore: Sendable {
    let writer: any DatabaseWriter

    /// The longest `detail` / `error` note kept, in characters; longer ones are cut with a marker.
    public static let maxNoteLength = 4000

    /// The identifiers of the schema migrations this build knows, oldest first.
    public static var migrationIdentifiers: [String] { StoreSchema.migrations.map(\.identifier) }

    /// Opens the database at `path`, creating it and its parent directories when missing, and brings
    /// its schema up to date.
    ///
    /// - Parameters:
    ///   - path: The database file (`--db`, `FORGE_DB`, or `$XDG_DATA_HOME/forge/forge.sqlite`).
    ///   - busyTimeout: How long a write waits for another process's write before it fails.
    /// - Throws: `ForgeError(.store)` when the directory cannot be made, the file cannot be opened
    ///   as a database, or a migration fails.
    public init(path: URL, busyTimeout: TimeInterval = 30) throws {
        let file = path.standardizedFileURL
        func failure(_ reason: String) -> ForgeError {
            ForgeError(.store, "cannot open the forge database at \(file.path): \(reason)",
                       hint: "pass --db PATH or set FORGE_DB")
        }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
        } catch {
            throw failure("cannot create its directory (\(Self.reason(error)))")
        }
        do {
            writer = try Self.openPool(at: file, busyTimeout: busyTimeout)
        } catch {
            throw failure(Self.reason(error))
        }
    }

    /// Opens and migrates the pool, trying again while another connection holds a lock that SQLite
    /// will not wait for.
    ///
    /// The busy timeout covers ordinary writes, but SQLite answers SQLITE_BUSY at once, without its
    /// busy handler, where waiting could deadlock: two connections switching a new file to WAL
    /// together, or a read snapshot that another writer has overtaken. Both happen only while a file
    /// is being created and migrated, so this is the one place that waits by hand, up to the same
    /// timeout.
    private static func openPool(at file: URL, busyTimeout: TimeInterval) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "forge"
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                let pool = try DatabasePool(path: file.path, configuration: configuration)
                try StoreSchema.migrate(pool)
                return pool
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    private init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// A private database in memory, migrated like a file: for tests.
    public static func inMemory() throws -> ForgeStore {
        do {
            let queue = try DatabaseQueue()
            try StoreSchema.migrate(queue)
            return ForgeStore(writer: queue)
        } catch {
            throw ForgeError(.store, "cannot create an in-memory forge database: \(reason(error))")
        }
    }

    // MARK: - Running statements

    /// Runs `body` in one write transaction; database errors become `ForgeError(.store)` that say
    /// what was being done (`action`, e.g. "record run X").
    func write<T>(_ action: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(body)
        } catch let error as ForgeError {
            throw error
        } catch {
            throw Self.storeError(action(), error)
        }
    }

    /// Runs `body` on a read-only snapshot; errors as in `write`.
    func read<T>(_ action: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as ForgeError {
            throw error
        } catch {
            throw Self.storeError(action(), error)
        }
    }

    static func storeError(_ action: String, _ error: any Error) -> ForgeError {
        var hint = "check that the database file is writable and not corrupt; --db PATH or FORGE_DB picks another"
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_BUSY {
            hint = "another forge process held the database too long; try again"
        }
        return ForgeError(.store, "cannot \(action): \(reason(error))", hint: hint)
    }

    /// SQLite's own words for a failure, without the SQL arguments (which may hold a spec).
    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
        }
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return (error as NSError).localizedDescription
    }

    /// Cuts a free-text note to `maxNoteLength` characters.
    static func capped(_ note: String?) -> String? {
        guard let note, note.count > maxNoteLength else { return note }
        return String(note.prefix(maxNoteLength - 1)) + "…"
    }
}
