import FluentKit
import FluentPostgresDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// The one connection through which a ``DatabaseHub`` writes to PostgreSQL, one transaction
/// after another (docs/architecture.md, "Writes"), as ``SQLiteWriter`` does for SQLite.
///
/// - In this process: a pool of exactly one connection, always asked for on the same event loop,
///   so writes wait their turn in the pool's queue as futures; the read pool's connections are
///   never taken by writes waiting for one another.
/// - Across processes: each transaction first takes a transaction-scoped advisory lock
///   (`pg_advisory_xact_lock`, <https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS>),
///   held until `COMMIT` or `ROLLBACK`, so the writes of every process run one at a time, as on
///   SQLite. A transaction that reads and then writes (find or create a topic, count sign-ups
///   and then record one) then sees every earlier write and cannot race another; PostgreSQL's
///   READ COMMITTED would otherwise let two of them both find nothing and both insert (a unique
///   violation, or a limit exceeded). The wait for the lock is PostgreSQL's, on the server: no
///   thread of this process waits.
final class PostgresWriter: DatabaseWriter {
    /// The advisory lock's key: the ASCII of "dateline" as a 64-bit integer. Another application
    /// sharing the database would have to choose the same key to collide.
    static let lockKey: Int64 = 0x6461_7465_6C69_6E65
    /// How long a write may wait in this process's queue, behind the writes before it.
    static let queueTimeout: TimeAmount = .minutes(10)

    let logger: Logger
    private let databases: Databases
    private let loop: any EventLoop

    /// - Throws: FluentPostgresDriver's error when the URL is refused.
    init(url: String, logger: Logger) throws {
        self.logger = logger
        databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 1, connectionPoolTimeout: Self.queueTimeout, sqlLogLevel: .trace), as: .psql)
        loop = MultiThreadedEventLoopGroup.singleton.next()
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let pooled = databases.database(logger: logger, on: loop) else {
            throw DatabaseSetupError(message: "The database has been closed: Dateline is shutting down.")
        }
        return try await pooled.transaction { database in
            try await (database as! any SQLDatabase).raw("SELECT pg_advisory_xact_lock(\(bind: Self.lockKey))").run()
            return try await body(database)
        }
    }

    func shutdown() async {
        await databases.shutdownAsync()
    }
}
