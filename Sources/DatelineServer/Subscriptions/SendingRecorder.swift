import Dispatch
import FluentSQLiteDriver
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Writes a group of `sending` marks (see ``Outbox/markSending(_:on:)``) for a ``SendingGate``
/// and blocks the calling thread — the gate's event loop — until the database has answered, so
/// that the caller writes the final "." lines the moment the marks are stored.
protocol SendingRecorder: Sendable {
    /// - Returns: success once the marks are committed; a failure when they were not (or it
    ///   cannot be told within ``SendingRecorders/timeout``), in which case no "." may go out.
    func record(sending: [Int64]) -> Result<Void, any Error>
    /// Records accepted messages as `sent` (``Outbox/markSent(_:at:on:)``) without waiting.
    /// - Returns: the statement's answer, for its error.
    func recordSent(_ ids: [Int64], at now: Date) -> EventLoopFuture<Void>
    /// Lets go of what the recorder holds (a connection, a thread).
    func close() async
}

enum SendingRecorders {
    /// How long a gate waits for the database before the group counts as not recorded.
    static let timeout: DispatchTimeInterval = .seconds(30)

    /// The quickest recorder for the hub's database: on SQLite a connection of its own (see
    /// ``SQLiteSendingRecorder``), on PostgreSQL the shared pool.
    static func make(hub: DatabaseHub, outbox: Outbox, logger: Logger) async -> any SendingRecorder {
        if case .sqlite(let path) = hub.location {
            do {
                return try await SQLiteSendingRecorder.open(path: path, outbox: outbox, logger: logger)
            } catch {
                logger.warning("Cannot open a connection of its own for the outbox (\(error)); using the shared one")
            }
        }
        return PooledSendingRecorder(outbox: outbox, databaseLoop: MultiThreadedEventLoopGroup.singleton.next())
    }

    struct Timeout: Error, CustomStringConvertible {
        var description: String { "the database did not record the messages as sending in time" }
    }
}

/// Through the database's shared connections (PostgreSQL): the statement runs on one loop of
/// the database's group, and its answer there wakes the waiting gate.
struct PooledSendingRecorder: SendingRecorder {
    let outbox: Outbox
    let databaseLoop: any EventLoop

    func record(sending: [Int64]) -> Result<Void, any Error> {
        let answered = DispatchSemaphore(value: 0)
        let result = NIOLockedValueBox<Result<Void, any Error>?>(nil)
        do {
            try outbox.markSending(sending, on: outbox.hub.sql(on: databaseLoop)).whenComplete { outcome in
                result.withLockedValue { $0 = outcome }
                answered.signal()
            }
        } catch {
            return .failure(error)
        }
        guard answered.wait(timeout: .now() + SendingRecorders.timeout) == .success else {
            return .failure(SendingRecorders.Timeout())
        }
        return result.withLockedValue { $0 } ?? .failure(SendingRecorders.Timeout())
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

    func record(sending: [Int64]) -> Result<Void, any Error> {
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
