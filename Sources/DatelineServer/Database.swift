import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import ServiceLifecycle

/// FluentKit wired for Dateline: one ``Databases`` registry configured from ``DatabaseLocation``,
/// the migration list, and shutdown as a lifecycle service.
///
/// The framework's own integration (hummingbird-fluent) is not reachable here, so this is its
/// small equivalent.
public final class DatabaseHub: Sendable {
    let databases: Databases
    let migrations: Migrations
    let logger: Logger
    /// Which engine is behind ``database``, for the few places SQL differs between them.
    public let location: DatabaseLocation

    /// Opens (but does not yet migrate) the database.
    /// - Throws: ``DatabaseSetupError`` when the SQLite file's folder cannot be made or the postgres URL is refused.
    public init(location: DatabaseLocation, logger: Logger) throws {
        self.location = location
        self.logger = logger
        databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        switch location {
        case .sqlite(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw DatabaseSetupError(message: "Cannot create the folder \(folder.path) for the SQLite database: \(error.localizedDescription)")
            }
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            do {
                databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
            } catch {
                throw DatabaseSetupError(message: "The postgres URL \(DatabaseLocation.redacted(url)) was refused: \(error)")
            }
        }
        migrations = Migrations()
        migrations.add(MigrationList.all)
    }

    /// A database handle on any event loop; cheap, make one per unit of work.
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

    /// The same database as SQLKit sees it, for engine-specific statements.
    var sql: any SQLDatabase { get throws { try database as! any SQLDatabase } }

    private var migrator: Migrator {
        Migrator(databases: databases, migrations: migrations, logger: logger, on: databases.eventLoopGroup.any())
    }

    /// Brings the schema up to date: runs every migration not yet run, in order.
    /// On SQLite, also switches the file to write-ahead logging (WAL), so readers never wait for the
    /// writer, with `synchronous=NORMAL` (see ``relaxSQLiteSync()``).
    public func migrate() async throws {
        if case .sqlite = location {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            try await relaxSQLiteSync()
        }
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// In WAL mode, `synchronous=NORMAL` commits without an fsync each time (SQLite's own advice for
    /// WAL): a commit survives a crash of the process, though the last ones may be lost if the
    /// machine loses power. Without it every commit waits for the disk, and the outbox — two commits
    /// per message — sends a few hundred messages a second instead of thousands.
    ///
    /// The setting belongs to each connection. FluentSQLiteDriver keeps exactly one connection per
    /// event loop and never prunes it, so setting it once on every loop covers them all; a
    /// connection opened later (after an error) simply keeps SQLite's safer default.
    private func relaxSQLiteSync() async throws {
        for loop in databases.eventLoopGroup.makeIterator() {
            guard let database = databases.database(logger: logger, on: loop) as? any SQLDatabase else { continue }
            try await database.raw("PRAGMA synchronous=NORMAL").run()
        }
    }

    /// Reverts every migration, newest first: an empty database, as before the first `migrate()`.
    public func revertAll() async throws {
        try await migrator.setupIfNeeded().get()
        try await migrator.revertAllBatches().get()
    }

    /// Closes every connection. Call once, when nothing uses the database any more.
    public func shutdown() async {
        await databases.shutdownAsync()
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
