import FluentKit
import SQLKit

extension DatabaseHub {
    /// The one way Dateline writes: runs `body` in a write transaction and returns its result.
    /// Everything `body` does on the database it is given commits together, or not at all when
    /// `body` throws.
    ///
    /// - PostgreSQL: a transaction on the shared pool (READ COMMITTED).
    /// - SQLite: a transaction on the hub's one writer connection (``SQLiteWriter``): writes of
    ///   this process wait their turn without holding a thread, each transaction holds the write
    ///   lock from its first statement (`BEGIN IMMEDIATE`), and a writer of another process is
    ///   waited for with short asynchronous sleeps. No write answers "database is locked".
    ///
    /// A `write` inside `body` (on this hub, in the same task or its child tasks) joins the
    /// outer transaction instead of waiting for it. Keep `body` to database work: nothing else
    /// may write on SQLite while it runs, in this process or any other.
    /// - Throws: what `body` throws; the database's error; ``SQLiteWriteLockTimeout`` when
    ///   another process held SQLite's lock for minutes; ``DatabaseSetupError`` after ``shutdown()``.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let me = ObjectIdentifier(self)
        if let open = OpenWrite.current, open.hub == me {
            return try await body(open.database)
        }
        let scoped: @Sendable (any Database) async throws -> T = { database in
            try await OpenWrite.$current.withValue(OpenWrite(hub: me, database: database)) { try await body(database) }
        }
        if let writer {
            return try await writer.transaction(scoped)
        }
        return try await database.transaction(scoped)
    }

    /// ``write(_:)`` for a body that speaks SQLKit (parameterized statements).
    func writeSQL<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await write { database in try await body(database as! any SQLDatabase) }
    }
}

/// The write transaction the current task runs in, if any, so that a nested ``DatabaseHub/write(_:)``
/// joins it: waiting for the writer connection it holds itself would never end.
struct OpenWrite: Sendable {
    let hub: ObjectIdentifier
    let database: any Database

    @TaskLocal static var current: OpenWrite?
}
