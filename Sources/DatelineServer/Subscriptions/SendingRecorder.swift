import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresKit
import VaporCSQLite

/// Writes the outbox's `sending` records on an SMTP connection's own thread, immediately before
/// the message's final "." (see ``Outbox`` and ``SMTPConnection/finish(recording:)``).
///
/// At most once means the record must be in the database before the "." goes out, so a worker
/// killed between the two loses that one message. Through the shared connection pool the two
/// were separated by a hand-over between threads, which on a loaded machine takes up to
/// milliseconds: often enough for a kill to land there. Here nothing but a return separates them:
/// - SQLite (``SQLiteSendingRecorder``): the record is committed by a blocking call on the
///   connection's thread;
/// - PostgreSQL (``PostgresSendingLane``): the statement is written to a connection of its own
///   on the same thread, held in the kernel until the "." is written right after it; the
///   server's answer is checked when it comes. PostgreSQL runs a statement it has received
///   even when the client dies meanwhile.
protocol SendingRecorder: Sendable {
    /// What records the messages of one SMTP connection whose loop is `eventLoop`.
    /// - Throws: when the database cannot be reached.
    func lane(on eventLoop: any EventLoop) async throws -> any SendingLane
}

/// Records for the messages of one SMTP connection, one at a time.
protocol SendingLane: AnyObject, Sendable {
    /// Called on the connection's loop right before the final "." of row `id`: records `sending`
    /// for it, and `sent` (with `now`) for the rows in `sent`, whose messages the server accepted.
    /// - Returns: whether the "." may go out, and how to learn the outcome.
    /// - Throws: when nothing could be recorded; the "." must not go out.
    func record(sending id: Int64, sent: [Int64], at now: Date) throws -> SendingRecord
    func close() async
}

/// The outcome of ``SendingLane/record(sending:sent:at:)``.
enum SendingRecord: Sendable {
    /// Row `id` is no longer pending (another worker finished it): send nothing. The `sent`
    /// records were made.
    case refused
    /// Recorded, `sending` and `sent` alike.
    case made
    /// The statement is on its way. `outcome` (called once the "." is out, so that nothing
    /// stands between the two writes) gives a future that fails with ``SendingNotRecorded`` when
    /// it did not record `sending` after all. Nothing else may be recorded on the lane before
    /// that future completes.
    case written(outcome: @Sendable () -> EventLoopFuture<Void>)
}

/// The database did not record `sending` for a row whose "." may have gone out.
struct SendingNotRecorded: Error, CustomStringConvertible {
    var description: String
}

extension DatabaseHub {
    /// The ``SendingRecorder`` for this database.
    func makeSendingRecorder() -> any SendingRecorder {
        switch location {
        case .sqlite(let path): SQLiteSendingRecorder(path: path)
        case .postgres(let url): PostgresSendingRecorder(url: url, logger: logger)
        }
    }
}

// MARK: - SQLite

/// One connection of SQLite's C API (the copy SQLiteNIO vendors, so the process has one SQLite
/// and its file locks agree), shared by every SMTP connection and used under a lock. SQLiteNIO
/// runs statements on its own threads only, which is the hand-over this exists to avoid.
/// Each record is one short write transaction, so the caller's thread waits for the commit
/// (tens of microseconds in WAL mode, longer while another writer holds the lock).
final class SQLiteSendingRecorder: SendingRecorder, SendingLane, @unchecked Sendable {
    let path: String
    private let lock = NIOLock()
    private var handle: OpaquePointer?
    private var sendingStatement: OpaquePointer?
    private var sentStatement: OpaquePointer?
    private var beginStatement: OpaquePointer?
    private var commitStatement: OpaquePointer?

    init(path: String) {
        self.path = path
    }

    deinit {
        sqlite_nio_sqlite3_finalize(sendingStatement)
        sqlite_nio_sqlite3_finalize(sentStatement)
        sqlite_nio_sqlite3_finalize(beginStatement)
        sqlite_nio_sqlite3_finalize(commitStatement)
        sqlite_nio_sqlite3_close_v2(handle)
    }

    func lane(on eventLoop: any EventLoop) async throws -> any SendingLane {
        try lock.withLock { try openIfNeeded() }
        return self
    }

    func record(sending id: Int64, sent: [Int64], at now: Date) throws -> SendingRecord {
        try lock.withLock {
            try openIfNeeded()
            try step(beginStatement)
            do {
                for earlier in sent {
                    sqlite_nio_sqlite3_bind_double(sentStatement, 1, now.timeIntervalSince1970)
                    sqlite_nio_sqlite3_bind_int64(sentStatement, 2, earlier)
                    try step(sentStatement)
                }
                sqlite_nio_sqlite3_bind_int64(sendingStatement, 1, id)
                try step(sendingStatement)
                let recorded = sqlite_nio_sqlite3_changes(handle) == 1
                try step(commitStatement)
                return recorded ? .made : .refused
            } catch {
                sqlite_nio_sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
                throw error
            }
        }
    }

    /// Nothing to close per SMTP connection: the one SQLite connection lives as long as this.
    func close() async {}

    private func openIfNeeded() throws {
        guard handle == nil else { return }
        var opened: OpaquePointer?
        let status = sqlite_nio_sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nil)
        guard status == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "status \(status)"
            sqlite_nio_sqlite3_close_v2(opened)
            throw SendingNotRecorded(description: "cannot open \(path) to record sending: \(message)")
        }
        handle = opened
        do {
            // Another writer (a claim, the site's own transactions) holds the lock for as long as
            // its transaction, usually a few milliseconds; all SMTP threads wait meanwhile, as
            // they share this connection. SQLite's own busy timeout sleeps at least a millisecond
            // at the first conflict; this retries after 50 µs (1 ms after the first 10 ms), for
            // about 10 s, after which the row is retried later and its connection dropped. The
            // transaction it waits for never needs this thread (DatabaseHub.write runs off the
            // SMTP loops), and the hub's writers wait for this one's microseconds without a thread.
            sqlite_nio_sqlite3_busy_handler(opened, { _, tries in
                guard tries < 10_200 else { return 0 }
                usleep(tries < 200 ? 50 : 1_000)
                return 1
            }, nil)
            // As the hub's writer connection (SQLiteWriter.makeReady): in WAL mode a commit survives
            // the process without an fsync each time.
            try execute("PRAGMA synchronous=NORMAL")
            sendingStatement = try prepare("UPDATE outbox SET state = 'sending' WHERE id = ?1 AND state = 'pending'")
            sentStatement = try prepare("""
                UPDATE outbox SET state = 'sent', sent_at = ?1, locked_until = NULL, attempts = attempts + 1
                WHERE id = ?2 AND state = 'sending'
                """)
            // Prepared once, as the updates are: the commit is the cost of a record, not parsing.
            beginStatement = try prepare("BEGIN IMMEDIATE")
            commitStatement = try prepare("COMMIT")
        } catch {
            // Opened again at the next record.
            sqlite_nio_sqlite3_finalize(sendingStatement)
            sqlite_nio_sqlite3_finalize(sentStatement)
            sqlite_nio_sqlite3_finalize(beginStatement)
            sqlite_nio_sqlite3_finalize(commitStatement)
            sqlite_nio_sqlite3_close_v2(opened)
            (handle, sendingStatement, sentStatement, beginStatement, commitStatement) = (nil, nil, nil, nil, nil)
            throw error
        }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw failure("prepare") }
        return statement
    }

    private func step(_ statement: OpaquePointer?) throws {
        let status = sqlite_nio_sqlite3_step(statement)
        sqlite_nio_sqlite3_reset(statement)
        sqlite_nio_sqlite3_clear_bindings(statement)
        guard status == SQLITE_DONE else { throw failure("step") }
    }

    private func execute(_ sql: String) throws {
        guard sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw failure(sql) }
    }

    private func failure(_ action: String) -> SendingNotRecorded {
        SendingNotRecorded(description: "SQLite could not record sending (\(action)): \(String(cString: sqlite_nio_sqlite3_errmsg(handle)))")
    }
}

// MARK: - PostgreSQL

/// Opens a ``PostgresSendingLane`` per SMTP connection, on that connection's loop.
struct PostgresSendingRecorder: SendingRecorder {
    let url: String
    let logger: Logger

    func lane(on eventLoop: any EventLoop) async throws -> any SendingLane {
        let configured = try SQLPostgresConfiguration(url: url).coreConfiguration
        guard let host = configured.host, let port = configured.port else {
            // A Unix socket: no TCP socket to hold writes back on.
            let connection = try await PostgresConnection.connect(on: eventLoop, configuration: configured, id: Int.random(in: 1...Int.max), logger: logger).get()
            return PostgresSendingLane(connection: connection, socket: nil, logger: logger)
        }
        // The TCP connection is made here, so that the lane can set options on its socket and
        // see what is written to it.
        let socket = try await ClientBootstrap(group: eventLoop)
            .connectTimeout(configured.options.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(WriteCounter()) }
            }
            .connect(host: host, port: port).get()
        var configuration = PostgresConnection.Configuration(
            establishedChannel: socket, tls: configured.tls, username: configured.username,
            password: configured.password, database: configured.database)
        configuration.options = configured.options
        do {
            let connection = try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: Int.random(in: 1...Int.max), logger: logger).get()
            return PostgresSendingLane(connection: connection, socket: socket, logger: logger)
        } catch {
            try? await socket.close()
            throw error
        }
    }
}

/// A PostgreSQL connection of its own for one SMTP connection's records, on the same loop.
/// PostgresNIO writes a query to the socket within the call when it is made on the connection's
/// loop and the connection is idle, which is why the lane carries one statement at a time.
///
/// Writing the statement wakes the database server, and on a busy machine the scheduler may
/// then run it in our thread's place, before the "." is written: the moment in which a kill
/// loses a message would last as long as the statement takes. So the statement is held in the
/// kernel (TCP_CORK, Linux) until the "." is out; were the worker killed in between, closing the
/// socket would still send it.
final class PostgresSendingLane: SendingLane, @unchecked Sendable {
    let connection: PostgresConnection
    /// The TCP socket under `connection`, when the lane made it.
    let socket: (any Channel)?
    let logger: Logger
    /// Whether a statement's answer is still due; touched on the connection's loop only.
    private var answerDue = false
    /// How long the database may take to answer a record, in seconds: well within a claim's
    /// margin, so that a row whose record is lost is recorded otherwise before another worker
    /// could take it.
    static let answerSeconds: Int64 = 3

    init(connection: PostgresConnection, socket: (any Channel)?, logger: Logger) {
        self.connection = connection
        self.socket = socket
        self.logger = logger
    }

    func record(sending id: Int64, sent: [Int64], at now: Date) throws -> SendingRecord {
        connection.eventLoop.preconditionInEventLoop()
        guard !answerDue else { throw SendingNotRecorded(description: "the previous record's answer has not come yet") }
        guard !connection.isClosed else { throw SendingNotRecorded(description: "the connection that records sending is closed") }
        answerDue = true
        let query: PostgresQuery = """
            UPDATE outbox SET
                state = CASE WHEN id = \(id) THEN 'sending' ELSE 'sent' END,
                sent_at = CASE WHEN id = \(id) THEN sent_at ELSE \(now) END,
                locked_until = CASE WHEN id = \(id) THEN locked_until ELSE NULL END,
                attempts = CASE WHEN id = \(id) THEN attempts ELSE attempts + 1 END
            WHERE (id = \(id) AND state = 'pending') OR (state = 'sending' AND id = ANY(\(sent)))
            RETURNING id, state
            """
        let counter = try? socket?.pipeline.syncOperations.handler(type: WriteCounter.self)
        let writesBefore = counter?.writes ?? 0
        socket?.holdWrites(true)
        let answer = connection.query(query, logger: logger)
        let loop = connection.eventLoop
        // Runs after the task that writes the "." (this loop's current one).
        loop.execute { [socket] in socket?.holdWrites(false) }
        if let counter, counter.writes == writesBefore {
            // PostgresNIO queued the statement instead of writing it (the connection was still
            // busy): it would reach the server after the ".". Send nothing.
            throw SendingNotRecorded(description: "the statement was queued, not written")
        }
        return .written(outcome: { [self] in
            let checked = answer.flatMapThrowing { result in
                for row in result.rows {
                    let (row, state) = try row.decode((Int64, String).self)
                    if row == id && state == "sending" { return }
                }
                throw SendingNotRecorded(description: "row \(id) was no longer pending")
            }.flatMapErrorThrowing { error in
                throw error as? SendingNotRecorded ?? SendingNotRecorded(description: "PostgreSQL did not record sending: \(String(reflecting: error))")
            }
            // A connection that went silent would leave the answer waiting for TCP to give up.
            let outcome = loop.makePromise(of: Void.self)
            let deadline = loop.scheduleTask(in: .seconds(Self.answerSeconds)) { [self] in
                outcome.fail(SendingNotRecorded(description: "PostgreSQL did not answer the record within \(Self.answerSeconds) s"))
                _ = connection.close() as EventLoopFuture<Void>
            }
            checked.whenComplete { result in
                deadline.cancel()
                outcome.completeWith(result)
            }
            // The connection takes a new statement only once its ReadyForQuery is read, which
            // may come just after the answer: the lane is free again a loop turn later.
            return outcome.futureResult.always { _ in loop.execute { [self] in answerDue = false } }
        })
    }

    func close() async {
        try? await connection.close().get()
    }
}

/// Counts the writes that reach a channel's socket, so that ``PostgresSendingLane`` can tell
/// whether PostgresNIO wrote its statement at once. Touched on the channel's loop only.
final class WriteCounter: ChannelOutboundHandler, @unchecked Sendable {
    typealias OutboundIn = ByteBuffer
    private(set) var writes = 0

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        writes += 1
        context.write(data, promise: promise)
    }
}
