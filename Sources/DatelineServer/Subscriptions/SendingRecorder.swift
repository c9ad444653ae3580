import Dispatch
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Writes a group of `sending` marks (see ``Outbox/markSending(_:on:)``) for a ``SendingGate``
/// and answers on the gate's event loop the moment the database has stored them, so that the
/// gate writes the final "." lines with as little time in between as the database allows.
protocol SendingRecorder: Sendable {
    /// - Returns: a future on `gateLoop` that succeeds once the marks are committed, and fails
    ///   when they were not (or it cannot be told within ``SendingRecorders/timeout``), in which
    ///   case no "." may go out. Call on `gateLoop`.
    func record(sending: [Int64], on gateLoop: any EventLoop) -> EventLoopFuture<Void>
    /// Records accepted messages as `sent` (``Outbox/markSent(_:at:on:)``) without waiting.
    /// - Returns: the statement's answer, for its error.
    func recordSent(_ ids: [Int64], at now: Date) -> EventLoopFuture<Void>
    /// Lets go of what the recorder holds (a connection, a thread).
    func close() async
}

enum SendingRecorders {
    /// How long a gate waits for the database before the group counts as not recorded.
    static let timeout: DispatchTimeInterval = .seconds(30)

    /// The quickest recorder for the hub's database: a connection of its own (see
    /// ``SQLiteSendingRecorder`` and ``PostgresSendingRecorder``), or the shared pool when that
    /// cannot be opened.
    /// - Parameter gateLoop: the loop of the gate that will use it.
    static func make(hub: DatabaseHub, outbox: Outbox, gateLoop: any EventLoop, logger: Logger) async -> any SendingRecorder {
        do {
            switch hub.location {
            case .sqlite(let path):
                return try await SQLiteSendingRecorder.open(path: path, outbox: outbox, logger: logger)
            case .postgres(let url):
                return try await PostgresSendingRecorder.open(url: url, outbox: outbox, on: gateLoop, logger: logger)
            }
        } catch {
            logger.warning("Cannot open a database connection of its own for the outbox (\(error)); using the shared ones")
            return PooledSendingRecorder(outbox: outbox, databaseLoop: MultiThreadedEventLoopGroup.singleton.next())
        }
    }

    struct Timeout: Error, CustomStringConvertible {
        var description: String { "the database did not record the messages as sending in time" }
    }
}

/// Through the database's shared connections, when no connection of its own could be opened:
/// the answer arrives on a loop of the database's group and is handed to the gate's.
struct PooledSendingRecorder: SendingRecorder {
    let outbox: Outbox
    let databaseLoop: any EventLoop

    func record(sending: [Int64], on gateLoop: any EventLoop) -> EventLoopFuture<Void> {
        do {
            return outbox.markSending(sending, on: try outbox.hub.sql(on: databaseLoop)).hop(to: gateLoop)
        } catch {
            return gateLoop.makeFailedFuture(error)
        }
    }

    func recordSent(_ ids: [Int64], at now: Date) -> EventLoopFuture<Void> {
        do {
            return outbox.markSent(ids, at: now, on: try outbox.hub.sql(on: databaseLoop))
        } catch {
            return databaseLoop.makeFailedFuture(error)
        }
    }

    func close() async {}
}

/// On PostgreSQL: a connection of its own whose socket is served by the gate's own loop, so the
/// answer to the marks is read by the thread that then writes the "." lines, with no hand-over
/// in between; the loop goes on serving the SMTP connections meanwhile.
final class PostgresSendingRecorder: SendingRecorder, @unchecked Sendable {
    private let connection: PostgresConnection
    private let outbox: Outbox
    private let sql: any SQLDatabase

    private init(connection: PostgresConnection, outbox: Outbox) {
        self.connection = connection
        self.outbox = outbox
        sql = connection.sql(queryLogLevel: nil)
    }

    /// - Throws: PostgresNIO's errors when the server cannot be reached or refuses the login.
    static func open(url: String, outbox: Outbox, on loop: any EventLoop, logger: Logger) async throws -> PostgresSendingRecorder {
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        let connection = try await PostgresConnection.connect(on: loop, configuration: configuration, id: 1, logger: logger).get()
        return PostgresSendingRecorder(connection: connection, outbox: outbox)
    }

    func record(sending: [Int64], on gateLoop: any EventLoop) -> EventLoopFuture<Void> {
        outbox.markSending(sending, on: sql).hop(to: gateLoop)
    }

    func recordSent(_ ids: [Int64], at now: Date) -> EventLoopFuture<Void> {
        outbox.markSent(ids, at: now, on: sql)
    }

    func close() async {
        try? await connection.close().get()
    }
}

/// On SQLite: a connection of its own, run by a thread pool of one thread, so that the thread
/// that commits the marks is the one that wakes the gate. SQLiteNIO runs each statement as one
/// work item on the connection's pool and then hands the result to an event loop; a second work
/// item queued right behind the statement runs on the same thread the moment it has finished,
/// and signals the gate directly, one thread hand-over instead of three. Whether the statement
/// committed is read from SQLite's commit and rollback hooks, which run on that same thread
/// before the signal.
final class SQLiteSendingRecorder: SendingRecorder, @unchecked Sendable {
    private let connection: SQLiteConnection
    private let threadPool: NIOThreadPool
    private let outbox: Outbox
    private let sql: any SQLDatabase
    /// Commits and rollbacks seen on the connection, counted by its hooks.
    private let transactions = NIOLockedValueBox((commits: 0, rollbacks: 0))
    private var hooks: [SQLiteHookToken] = []

    private init(connection: SQLiteConnection, threadPool: NIOThreadPool, outbox: Outbox) {
        self.connection = connection
        self.threadPool = threadPool
        self.outbox = outbox
        // The same encoding of dates as the Fluent driver's, which writes the other columns.
        sql = connection.sql(queryLogLevel: nil)
    }

    /// - Throws: SQLiteNIO's errors when the file cannot be opened.
    static func open(path: String, outbox: Outbox, logger: Logger) async throws -> SQLiteSendingRecorder {
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        do {
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger, on: loop)
            let recorder = SQLiteSendingRecorder(connection: connection, threadPool: threadPool, outbox: outbox)
            // As on the shared connections (see DatabaseHub.relaxSQLiteSync): the file is in WAL mode.
            _ = try await connection.query("PRAGMA synchronous=NORMAL", []) as [SQLiteRow]
            let counts = recorder.transactions
            recorder.hooks = [
                try await connection.addCommitObserver(lifetime: .pinned) { _ in counts.withLockedValue { $0.commits += 1 } },
                try await connection.addRollbackObserver(lifetime: .pinned) { _ in counts.withLockedValue { $0.rollbacks += 1 } },
            ]
            return recorder
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
    }

    /// Blocks the calling loop until the statement has run (see the type's comment) and answers
    /// with a completed future.
    func record(sending: [Int64], on gateLoop: any EventLoop) -> EventLoopFuture<Void> {
        switch recordBlocking(sending) {
        case .success: gateLoop.makeSucceededVoidFuture()
        case .failure(let error): gateLoop.makeFailedFuture(error)
        }
    }

    private func recordBlocking(_ sending: [Int64]) -> Result<Void, any Error> {
        let answered = DispatchSemaphore(value: 0)
        let counts = transactions
        // Counted on the pool's thread right before the statement, after whatever was queued
        // ahead of it (a `sent` record), so that the one commit compared is this statement's.
        let before = NIOLockedValueBox((commits: 0, rollbacks: 0))
        threadPool.submit { _ in before.withLockedValue { $0 = counts.withLockedValue { $0 } } }
        // The statement's own answer arrives later on its event loop; only its error is kept,
        // for the message.
        let failure = NIOLockedValueBox<(any Error)?>(nil)
        outbox.markSending(sending, on: sql).whenFailure { error in
            failure.withLockedValue { $0 = error }
        }
        threadPool.submit { _ in answered.signal() }
        guard answered.wait(timeout: .now() + SendingRecorders.timeout) == .success else {
            return .failure(SendingRecorders.Timeout())
        }
        let start = before.withLockedValue { $0 }
        let end = counts.withLockedValue { $0 }
        guard end.commits == start.commits + 1, end.rollbacks == start.rollbacks else {
            return .failure(failure.withLockedValue { $0 } ?? NotCommitted())
        }
        return .success(())
    }

    func recordSent(_ ids: [Int64], at now: Date) -> EventLoopFuture<Void> {
        // On the same connection, queued behind the marks: the two never contend for the lock.
        outbox.markSent(ids, at: now, on: sql)
    }

    struct NotCommitted: Error, CustomStringConvertible {
        var description: String { "the database did not commit the sending marks" }
    }

    func close() async {
        // Closing the connection removes its hooks.
        try? await connection.close().get()
        try? await threadPool.shutdownGracefully()
    }
}
