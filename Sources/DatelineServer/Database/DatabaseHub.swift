import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import ServiceLifecycle

/// FluentKit wired for Dateline: the read path (``database``), the one write path
/// (``write(_:)``), the migration list, and shutdown as a lifecycle service.
///
/// - PostgreSQL: reads go through a pool of up to four connections per event loop; writes
///   through one writer connection per hub (``PostgresWriter``), one transaction after another,
///   each holding one advisory lock, so that writes of all processes run one at a time.
/// - SQLite: reads go through a connection per event loop opened read-only (`mode=ro`), so a write
///   that bypasses ``write(_:)`` fails at once with SQLite's "attempt to write a readonly
///   database" instead of taking the write lock beside the writer. Every write goes through one
///   writer connection per hub (``SQLiteWriter``), one transaction after another, each begun with
///   `BEGIN IMMEDIATE`; a writer of another process is waited for asynchronously. See
///   docs/architecture.md, "Writes".
///
/// The framework's own integration (hummingbird-fluent) is not reachable here, so this is its
/// small equivalent.
public final class DatabaseHub: Sendable {
    /// The read path's connections (on PostgreSQL, every connection).
    let databases: Databases
    /// The write path's own connection (``write(_:)``).
    let writer: any DatabaseWriter
    /// SQLite's writer, which also sets the journal mode; nil on PostgreSQL.
    let sqliteWriter: SQLiteWriter?
    let migrations: Migrations
    let logger: Logger
    /// Which engine is behind ``database``, for the few places SQL differs between them.
    public let location: DatabaseLocation

    /// Opens (but does not yet migrate) the database. Connections are made at first use.
    /// - Throws: ``DatabaseSetupError`` when the SQLite file's folder cannot be made or the postgres URL is refused.
    public init(location: DatabaseLocation, logger: Logger) throws {
        self.location = location
        self.logger = logger
        databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        switch location {
        case .sqlite(let path):
            let file = URL(fileURLWithPath: path)
            do {
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw DatabaseSetupError(message: "Cannot create the folder \(file.deletingLastPathComponent().path) for the SQLite database: \(error.localizedDescription)")
            }
            databases.use(.sqlite(.file(Self.readOnlyURI(file)), sqlLogLevel: .trace), as: .sqlite)
            let sqliteWriter = SQLiteWriter(path: file.path, logger: logger)
            (writer, self.sqliteWriter) = (sqliteWriter, sqliteWriter)
        case .postgres(let url):
            do {
                databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
                writer = try PostgresWriter(url: url, logger: logger)
            } catch {
                throw DatabaseSetupError(message: "The postgres URL \(DatabaseLocation.redacted(url)) was refused: \(error)")
            }
            sqliteWriter = nil
        }
        migrations = Migrations()
        migrations.add(MigrationList.all)
    }

    /// An SQLite URI (<https://sqlite.org/uri.html>) that opens `file` read-only. SQLiteNIO opens
    /// every file with `SQLITE_OPEN_URI`, and `mode=ro` may narrow its read-write flags.
    static func readOnlyURI(_ file: URL) -> String {
        var components = URLComponents()
        components.scheme = "file"
        components.host = ""
        components.path = file.standardizedFileURL.path
        components.queryItems = [URLQueryItem(name: "mode", value: "ro")]
        return components.string!
    }

    /// The read path: a database handle on any event loop; cheap, make one per unit of work.
    /// On SQLite its connections are read-only: write through ``write(_:)``.
    /// - Throws: ``DatabaseSetupError`` once ``shutdown()`` has closed the connections (a late
    ///   job or request during shutdown then fails cleanly instead of trapping).
    public var database: any Database {
        get throws {
            guard let database = databases.database(logger: logger, on: databases.eventLoopGroup.any()) else {
                throw DatabaseSetupError(message: "The database has been closed: Dateline is shutting down.")
            }
            return database
        }
    }

    /// The read path as SQLKit sees it, for engine-specific statements.
    var sql: any SQLDatabase { get throws { try database as! any SQLDatabase } }

    /// Brings the schema up to date: runs every migration not yet run, in order, as one write,
    /// so that processes starting together migrate one after another. On SQLite, first switches
    /// the file to write-ahead logging (WAL), so readers never wait for the writer.
    public func migrate() async throws {
        try await sqliteWriter?.useWriteAheadLog()
        try await write { database in
            let migrator = Migrator(databaseFactory: { _ in database }, migrations: self.migrations, on: database.eventLoop)
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
        }
        if sqliteWriter != nil { try await refreshPlannerStatistics() }
    }

    /// Brings the query planner's statistics up to date, so that it keeps choosing the listings'
    /// indexes as the archive grows from a few releases to a million: on SQLite `PRAGMA optimize`
    /// (which runs ANALYZE only on tables whose size changed much since the last one); on
    /// PostgreSQL `ANALYZE` (autovacuum also does it in time; call this after a bulk load).
    /// - Throws: the database's error.
    public func refreshPlannerStatistics() async throws {
        if sqliteWriter != nil {
            try await writeSQL { try await $0.raw("PRAGMA optimize=0x10002").run() }
        } else {
            try await writeSQL { try await $0.raw("ANALYZE").run() }
        }
    }

    /// Reverts every migration, newest first: an empty database, as before the first `migrate()`.
    public func revertAll() async throws {
        try await write { database in
            let migrator = Migrator(databaseFactory: { _ in database }, migrations: self.migrations, on: database.eventLoop)
            try await migrator.setupIfNeeded().get()
            try await migrator.revertAllBatches().get()
        }
    }

    /// Closes every connection. Call once, when nothing uses the database any more.
    public func shutdown() async {
        await databases.shutdownAsync()
        await writer.shutdown()
    }
}

/// Closes the database when the service group shuts down, after the HTTP server has stopped.
struct DatabaseShutdownService: Service {
    let hub: DatabaseHub

    func run() async throws {
        try? await gracefulShutdown()
        await hub.shutdown()
    }
}

/// The database could not be opened; the message says why.
public struct DatabaseSetupError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
