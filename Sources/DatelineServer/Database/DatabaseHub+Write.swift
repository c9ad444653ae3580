import FluentKit
import NIOConcurrencyHelpers
import SQLKit

extension DatabaseHub {
    /// The one way Dateline writes: runs `body` in a write transaction and returns its result.
    /// Everything `body` does on the database it is given commits together, or not at all when
    /// `body` throws.
    ///
    /// On both engines a write runs on the hub's one writer connection, after the writes of this
    /// process before it (they wait without holding a thread), and alone among the writes of
    /// every process: so a body that reads and then writes sees every earlier write and races
    /// none.
    /// - SQLite (``SQLiteWriter``): each transaction holds the file's write lock from its first
    ///   statement (`BEGIN IMMEDIATE`); a writer of another process is waited for with short
    ///   asynchronous sleeps. No write answers "database is locked".
    /// - PostgreSQL (``PostgresWriter``): each transaction first takes one advisory lock.
    ///
    /// A `write` inside `body` (on this hub, in the same task or its child tasks) joins the
    /// outer transaction instead of waiting for it. Keep `body` to database work: nothing else
    /// may write on SQLite while it runs, in this process or any other.
    /// - Throws: what `body` throws; the database's error; ``SQLiteWriteLockTimeout`` when
    ///   another process held SQLite's lock for minutes; ``DatabaseSetupError`` after ``shutdown()``.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let me = ObjectIdentifier(self)
        if let open = OpenWrite.current, open.hub == me, open.isOpen.withLockedValue({ $0 }) {
            return try await body(open.database)
        }
        let invalidations = PendingInvalidations()
        let scoped: @Sendable (any Database) async throws -> T = { database in
            let open = OpenWrite(hub: me, database: database, invalidations: invalidations)
            defer { open.isOpen.withLockedValue { $0 = false } }
            return try await OpenWrite.$current.withValue(open) { try await body(database) }
        }
        // Off any executor the caller prefers: a task on an SMTP connection's loop must not need
        // that loop to finish its write, because SQLiteSendingRecorder blocks the loop while it
        // waits for the write lock this transaction holds. (SQLiteNIO happens to run the body in
        // a task of its own today; this keeps it so whatever the driver does.)
        let result = try await withTaskExecutorPreference(globalConcurrentExecutor) {
            try await writer.transaction(scoped)
        }
        // Committed: this process's page caches drop what the write changed before it returns,
        // so the writer's next request sees the change (other processes read the rows).
        invalidations.deliverCommitted(on: location)
        return result
    }

    /// ``write(_:)`` for a body that speaks SQLKit (parameterized statements).
    /// - Throws: as ``write(_:)``.
    public func writeSQL<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await write { database in try await body(database as! any SQLDatabase) }
    }
}

/// Runs write transactions one at a time on a connection of its own (``SQLiteWriter``,
/// ``PostgresWriter``).
protocol DatabaseWriter: Sendable {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// - Throws: what `body` throws, or the database's error.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T
    /// Closes the writer's connection.
    func shutdown() async
}

/// The write transaction the current task runs in, if any, so that a nested ``DatabaseHub/write(_:)``
/// joins it: waiting for the writer connection it holds itself would never end.
struct OpenWrite: Sendable {
    let hub: ObjectIdentifier
    let database: any Database
    /// Page cache tags recorded by the transaction (``PageCacheInvalidation``), delivered after commit.
    let invalidations: PendingInvalidations
    /// False once the transaction has ended: a task started inside it that lives on (task-local
    /// values are inherited) then writes on its own.
    let isOpen = NIOLockedValueBox(true)

    @TaskLocal static var current: OpenWrite?
}
