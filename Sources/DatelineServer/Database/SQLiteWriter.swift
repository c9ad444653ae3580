import FluentKit
import FluentSQLiteDriver
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit

/// The one connection through which a ``DatabaseHub`` writes to its SQLite database, one
/// transaction after another (docs/architecture.md, "Writes").
///
/// - In this process: a pool of exactly one connection, always asked for on the same event loop,
///   so writes wait their turn in the pool's queue as futures, holding no thread. The queue's
///   timeout (``queueTimeout``) is long: a write waits for every write ahead of it.
/// - Against other processes: each transaction begins `BEGIN IMMEDIATE`, which takes SQLite's
///   write lock before its first statement, so a transaction that reads and then writes can no
///   longer fail halfway with `SQLITE_BUSY_SNAPSHOT`. The connection's busy timeout is 0 (set
///   on every connection the pool opens, before its first transaction), which also removes
///   SQLiteNIO's busy handler that spins on a pool thread; while another process holds the lock
///   `BEGIN IMMEDIATE` answers `SQLITE_BUSY` at once and is tried again after an asynchronous
///   sleep (``firstPause``, doubling up to ``longestPause``, with jitter), for up to
///   ``lockWaitLimit``.
/// - The connection runs on a thread of its own (``thread``), not on the read connections' pool,
///   so a slow write never holds a reader's thread.
final class SQLiteWriter: DatabaseWriter {
    /// The thread the writer connections of this process run their statements on. One thread
    /// serves every hub (a process has one; tests have many): no statement on it waits for a
    /// lock (busy timeout 0), so hubs sharing it never wait for one another there. A static, so
    /// it lives as long as the process, as `NIOThreadPool.singleton` does.
    static let thread: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()

    /// How long a write may wait in this process's queue, behind the writes before it.
    static let queueTimeout: TimeAmount = .minutes(10)
    /// The first pause after `SQLITE_BUSY`, then doubled at each try up to ``longestPause``.
    static let firstPause: Duration = .microseconds(500)
    static let longestPause: Duration = .milliseconds(20)
    /// How long another process may hold the write lock before a write gives up with
    /// ``SQLiteWriteLockTimeout``: far longer than any of Dateline's transactions takes.
    static let lockWaitLimit: Duration = .seconds(120)

    let path: String
    let logger: Logger
    private let databases: Databases
    private let loop: any EventLoop
    /// The connection last made ready (busy timeout, synchronous); another one (after the pool
    /// replaced a closed connection) is made ready before its first use.
    /// Held, not just compared by address, so that a new connection cannot pass for it.
    private let ready = NIOLockedValueBox<SQLiteConnection?>(nil)

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
        databases = Databases(threadPool: Self.thread, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(.sqlite(.file(path), connectionPoolTimeout: Self.queueTimeout, sqlLogLevel: .trace), as: .sqlite)
        loop = MultiThreadedEventLoopGroup.singleton.next()
    }

    /// Runs `body` in a write transaction on the writer connection: `BEGIN IMMEDIATE` (waiting
    /// for another process's writer if need be), `body`, `COMMIT`; `ROLLBACK` when `body` throws.
    /// - Throws: what `body` throws; ``SQLiteWriteLockTimeout``; ``DatabaseSetupError`` after
    ///   ``shutdown()``; or SQLite's error.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let pooled = databases.database(logger: logger, on: loop) else {
            throw DatabaseSetupError(message: "The database has been closed: Dateline is shutting down.")
        }
        return try await pooled.withConnection { connection in
            let sql = connection as! any SQLDatabase
            try await self.makeReady(connection)
            try await self.whileLocked { try await sql.raw("BEGIN IMMEDIATE").run() }
            let result: T
            do {
                result = try await body(WriteTransactionDatabase(base: connection))
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
            do {
                // In WAL mode a commit never waits; in rollback mode it may wait for readers.
                try await self.whileLocked { try await sql.raw("COMMIT").run() }
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
            return result
        }
    }

    /// Switches the file to write-ahead logging (a setting kept in the file; a no-op when it is
    /// already on), outside any transaction, as SQLite requires.
    func useWriteAheadLog() async throws {
        guard let pooled = databases.database(logger: logger, on: loop) else {
            throw DatabaseSetupError(message: "The database has been closed: Dateline is shutting down.")
        }
        try await pooled.withConnection { connection in
            try await self.makeReady(connection)
            try await self.whileLocked { try await (connection as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").run() }
        }
    }

    /// A connection's own settings, made once per connection:
    /// - `busy_timeout=0`: `SQLITE_BUSY` comes back at once, to be waited for in
    ///   ``whileLocked(_:)`` without holding the thread (SQLite's `sqlite3_busy_timeout`
    ///   also removes SQLiteNIO's handler, which spins while it waits);
    /// - `synchronous=NORMAL`: in WAL mode a commit survives a crash of the process without an
    ///   fsync each time (SQLite's own advice for WAL); only a power loss may lose the last
    ///   commits. Without it every commit waits for the disk.
    private func makeReady(_ connection: any Database) async throws {
        guard let sqlite = connection as? any SQLiteDatabase else { return }
        let handle = try await sqlite.withConnection { $0.eventLoop.makeSucceededFuture($0) }.get()
        guard ready.withLockedValue({ $0 }) !== handle else { return }
        let sql = connection as! any SQLDatabase
        try await sql.raw("PRAGMA busy_timeout=0").run()
        try await sql.raw("PRAGMA synchronous=NORMAL").run()
        ready.withLockedValue { $0 = handle }
    }

    /// Runs `statement`, again after a short asynchronous sleep while another connection (another
    /// process, or the outbox's ``SQLiteSendingRecorder``) holds the write lock.
    private func whileLocked(_ statement: () async throws -> Void) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var pause = Self.firstPause
        while true {
            do {
                try await statement()
                return
            } catch let error as SQLiteError where error.isBusy {
                let waited = clock.now - start
                guard waited < Self.lockWaitLimit else { throw SQLiteWriteLockTimeout(path: path, waited: waited) }
                try await Task.sleep(for: pause * Double.random(in: 0.5...1.5))
                pause = min(pause * 2, Self.longestPause)
            }
        }
    }

    /// Closes the connection. The thread stays, for the process's other hubs.
    func shutdown() async {
        await databases.shutdownAsync()
    }
}

extension SQLiteError {
    /// Whether another connection holds the lock the statement needs (`SQLITE_BUSY` and its
    /// extended codes), so that the statement may simply be tried again.
    var isBusy: Bool {
        switch reason {
        case .busy, .busyInRecovery, .busyInSnapshot, .busyTimeout: true
        default: false
        }
    }
}

/// Another process held SQLite's write lock for longer than ``SQLiteWriter/lockWaitLimit``;
/// nothing was written.
struct SQLiteWriteLockTimeout: Error, CustomStringConvertible {
    var path: String
    var waited: Duration

    var description: String {
        "Another process kept the SQLite database \(path) locked for writing for \(waited.components.seconds) s; nothing was written. Is a command stuck in a long transaction?"
    }
}
