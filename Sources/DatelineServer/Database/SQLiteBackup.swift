import Foundation
import VaporCSQLite

/// A consistent copy of a live SQLite database, made with SQLite's online backup API
/// (`sqlite3_backup_init` / `_step` / `_finish`, <https://sqlite.org/backup.html>) while other
/// processes read and write it. Used by `dateline backup`.
///
/// - The copy is one snapshot of the source: in WAL mode (the mode ``DatabaseHub/migrate()`` sets)
///   a read transaction is held on the source for the whole copy, so the pages copied in every
///   step come from the same committed state. In WAL mode a reader does not block writers, so the
///   site and other commands keep writing meanwhile; the WAL file cannot be checkpointed past the
///   snapshot until the copy ends, so it grows for that long. A database in another journal mode
///   is copied in steps that each take the shared lock only while they run, and SQLite restarts
///   the copy when another connection writes between two steps.
/// - The source is copied ``pagesPerStep`` pages at a time; a step that finds the source busy or
///   locked (`SQLITE_BUSY`, `SQLITE_LOCKED`) sleeps briefly and is tried again.
/// - The copy is readable and writable by its owner only (mode 0600).
/// - The copy is written to a hidden temporary file beside the destination, checked with
///   `PRAGMA integrity_check`, and renamed onto the destination only when whole and sound: a
///   failed backup leaves no file at the destination (the temporary file is removed; a process
///   killed mid-copy may leave it behind, named `.NAME.partial-…`).
public struct SQLiteBackup: Sendable {
    /// The live database file (a path, as in `DATELINE_DATABASE_URL`).
    public var source: String
    /// Where the copy goes. Its folder must exist and be writable.
    public var destination: String
    /// Whether an existing file at ``destination`` may be replaced; when it is, its `-wal`,
    /// `-shm` and `-journal` files are removed too, so that they are not applied to the copy.
    public var overwrite: Bool
    /// Database pages copied per `sqlite3_backup_step` call.
    public var pagesPerStep: Int32
    /// How long a step that found the source busy or locked waits before it is tried again.
    public var busyPause: Duration
    /// How long, in total, the copy may keep finding the source busy before it gives up with
    /// ``SQLiteBackupError/busy(path:waited:)``.
    public var busyLimit: Duration

    public init(source: String, destination: String, overwrite: Bool = false, pagesPerStep: Int32 = 256,
                busyPause: Duration = .milliseconds(10), busyLimit: Duration = .seconds(120)) {
        self.source = source
        self.destination = destination
        self.overwrite = overwrite
        self.pagesPerStep = pagesPerStep
        self.busyPause = busyPause
        self.busyLimit = busyLimit
    }

    /// Makes the copy.
    /// - Returns: what was copied and the copy's `integrity_check` result (always "ok": any other
    ///   result is an error).
    /// - Throws: ``SQLiteBackupError`` naming the file and the problem; the destination is then
    ///   untouched.
    public func run() throws -> SQLiteBackupReport {
        let started = ContinuousClock.now
        let sourcePath = URL(fileURLWithPath: source).standardizedFileURL.path
        let destinationURL = URL(fileURLWithPath: destination).standardizedFileURL
        let destinationPath = destinationURL.path
        let folder = destinationURL.deletingLastPathComponent().path
        let files = FileManager.default

        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: sourcePath, isDirectory: &isFolder), !isFolder.boolValue else {
            throw SQLiteBackupError.sourceMissing(path: sourcePath)
        }
        // Neither the live file nor its write-ahead log, shared-memory index or journal: writing
        // over one of those loses committed releases.
        for live in ["", "-wal", "-shm", "-journal"].map({ sourcePath + $0 }) where live == destinationPath || Self.sameFile(live, destinationPath) {
            throw SQLiteBackupError.destinationIsSource(path: destinationPath)
        }
        if files.fileExists(atPath: destinationPath, isDirectory: &isFolder) {
            if isFolder.boolValue { throw SQLiteBackupError.destinationIsFolder(path: destinationPath) }
            if !overwrite { throw SQLiteBackupError.destinationExists(path: destinationPath) }
        }
        guard files.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw SQLiteBackupError.destinationFolder(path: folder, problem: "it does not exist")
        }
        guard files.isWritableFile(atPath: folder) else {
            throw SQLiteBackupError.destinationFolder(path: folder, problem: "it is not writable")
        }

        let temporary = folder + "/." + destinationURL.lastPathComponent + ".partial-" + UUID().uuidString.prefix(8).lowercased()
        // The copy holds what the database holds (password hashes, sessions, subscribers'
        // addresses): it is made readable by its owner only, before anything is written to it.
        // SQLite opens the empty file as a new database, and gives its journal the same mode.
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SQLiteBackupError.destinationFolder(path: folder, problem: "a file cannot be created there (\(String(cString: strerror(errno))))")
        }
        close(descriptor)
        let removeTemporary = {
            for suffix in ["", "-journal", "-wal", "-shm"] { try? files.removeItem(atPath: temporary + suffix) }
        }
        let copied: (pages: Int, pageSize: Int, busyWaits: Int)
        let integrity: [String]
        do {
            copied = try copy(from: sourcePath, to: temporary)
            integrity = try Self.integrityCheck(temporary)
        } catch {
            removeTemporary()
            throw error
        }
        guard integrity == ["ok"] else {
            removeTemporary()
            throw SQLiteBackupError.integrity(path: sourcePath, messages: integrity)
        }

        // The copy is whole: it replaces the destination in one rename. A replaced database's
        // -wal (and -shm) would be applied to the copy when it is opened: they go first.
        if overwrite {
            for suffix in ["-wal", "-shm", "-journal"] { try? files.removeItem(atPath: destinationPath + suffix) }
        }
        guard rename(temporary, destinationPath) == 0 else {
            let problem = String(cString: strerror(errno))
            removeTemporary()
            throw SQLiteBackupError.destinationFolder(path: folder, problem: "the copy could not be renamed to \(destinationURL.lastPathComponent): \(problem)")
        }
        Self.syncFolder(folder)
        let bytes = (try? files.attributesOfItem(atPath: destinationPath)[.size] as? Int) ?? copied.pages * copied.pageSize
        return SQLiteBackupReport(
            source: sourcePath, destination: destinationPath, pages: copied.pages, pageSize: copied.pageSize,
            bytes: bytes, busyWaits: copied.busyWaits, integrityCheck: integrity.joined(separator: "\n"),
            duration: ContinuousClock.now - started)
    }

    // MARK: - The copy

    /// Copies `sourcePath` into a new database at `temporary` with the backup API.
    /// - Returns: the copy's page count and page size, and how many steps waited for a busy source.
    private func copy(from sourcePath: String, to temporary: String) throws -> (pages: Int, pageSize: Int, busyWaits: Int) {
        // No SQLITE_OPEN_CREATE: the source must already be a database; nothing is written to it.
        let sourceDB = try Self.openDatabase(sourcePath, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, role: "the database")
        defer { sqlite_nio_sqlite3_close_v2(sourceDB) }
        let destinationDB: OpaquePointer
        do {
            destinationDB = try Self.openDatabase(temporary, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, role: "the copy")
        } catch SQLiteBackupError.sqlite(_, _, let message) {
            let folder = URL(fileURLWithPath: temporary).deletingLastPathComponent().path
            throw SQLiteBackupError.destinationFolder(path: folder, problem: "a file cannot be created there (\(message))")
        }
        defer { sqlite_nio_sqlite3_close_v2(destinationDB) }

        var busyWaits = 0
        var waited: Duration = .zero
        /// Sleeps after a busy or locked answer; gives up past `busyLimit`.
        func pause() throws {
            busyWaits += 1
            waited += busyPause
            guard waited <= busyLimit else { throw SQLiteBackupError.busy(path: sourcePath, waited: waited) }
            usleep(UInt32(busyPause.components.seconds * 1_000_000 + busyPause.components.attoseconds / 1_000_000_000_000))
        }
        /// Runs `sql` (no rows expected), retrying while the source is busy.
        func execute(_ sql: String, on db: OpaquePointer) throws {
            while true {
                let status = sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil)
                if status == SQLITE_OK { return }
                guard Self.isBusy(status) else { throw SQLiteBackupError.sqlite(path: sourcePath, action: sql, message: Self.message(db)) }
                try pause()
            }
        }

        // A database file that is not one (or is encrypted, or damaged in its header) is refused
        // here, with SQLite's own words, rather than copied.
        let journalMode: String
        do {
            journalMode = try Self.rows(sourceDB, "PRAGMA journal_mode").first?.lowercased() ?? ""
        } catch SQLiteBackupError.sqlite(_, _, let message) {
            throw SQLiteBackupError.notADatabase(path: sourcePath, message: message)
        }

        // In WAL mode: one snapshot for the whole copy. BEGIN is deferred; the SELECT starts the
        // read transaction, which then lasts until the ROLLBACK below.
        let snapshot = journalMode == "wal"
        if snapshot {
            try execute("BEGIN", on: sourceDB)
            try execute("SELECT count(*) FROM sqlite_schema", on: sourceDB)
        }
        defer { if snapshot { sqlite_nio_sqlite3_exec(sourceDB, "ROLLBACK", nil, nil, nil) } }

        guard let backup = sqlite_nio_sqlite3_backup_init(destinationDB, "main", sourceDB, "main") else {
            throw SQLiteBackupError.sqlite(path: temporary, action: "backup_init", message: Self.message(destinationDB))
        }
        var finished = false
        defer { if !finished { sqlite_nio_sqlite3_backup_finish(backup) } }
        while true {
            let status = sqlite_nio_sqlite3_backup_step(backup, pagesPerStep)
            if status == SQLITE_DONE { break }
            if status == SQLITE_OK {
                // Without a snapshot, the lock is released between steps: give writers a moment.
                if !snapshot { usleep(1_000) }
                continue
            }
            guard Self.isBusy(status) else {
                throw SQLiteBackupError.sqlite(path: sourcePath, action: "backup_step", message: Self.message(destinationDB, status: status))
            }
            try pause()
        }
        let pages = Int(sqlite_nio_sqlite3_backup_pagecount(backup))
        finished = true
        let status = sqlite_nio_sqlite3_backup_finish(backup)
        guard status == SQLITE_OK else {
            throw SQLiteBackupError.sqlite(path: temporary, action: "backup_finish", message: Self.message(destinationDB, status: status))
        }
        let pageSize = Int((try? Self.rows(destinationDB, "PRAGMA page_size"))?.first ?? "") ?? 0
        return (pages, pageSize, busyWaits)
    }

    /// `PRAGMA integrity_check` on the copy, through a connection of its own: "ok", or SQLite's
    /// list of problems.
    private static func integrityCheck(_ path: String) throws -> [String] {
        let db = try openDatabase(path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, role: "the copy")
        defer { sqlite_nio_sqlite3_close_v2(db) }
        return try rows(db, "PRAGMA integrity_check")
    }

    // MARK: - C API helpers

    private static func openDatabase(_ path: String, flags: Int32, role: String) throws -> OpaquePointer {
        var db: OpaquePointer?
        let status = sqlite_nio_sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { Self.message($0) } ?? String(cString: sqlite_nio_sqlite3_errstr(status))
            sqlite_nio_sqlite3_close_v2(db)
            throw SQLiteBackupError.sqlite(path: path, action: "open \(role)", message: message)
        }
        return db
    }

    /// The first column of every row `sql` returns, as text.
    private static func rows(_ db: OpaquePointer, _ sql: String) throws -> [String] {
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
            throw SQLiteBackupError.sqlite(path: String(cString: sqlite_nio_sqlite3_db_filename(db, "main")), action: sql, message: message(db))
        }
        defer { sqlite_nio_sqlite3_finalize(statement) }
        var values: [String] = []
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return values }
            guard status == SQLITE_ROW else {
                throw SQLiteBackupError.sqlite(path: String(cString: sqlite_nio_sqlite3_db_filename(db, "main")), action: sql, message: message(db))
            }
            values.append(sqlite_nio_sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "")
        }
    }

    private static func isBusy(_ status: Int32) -> Bool {
        let primary = status & 0xFF
        return primary == SQLITE_BUSY || primary == SQLITE_LOCKED
    }

    private static func message(_ db: OpaquePointer, status: Int32? = nil) -> String {
        let text = String(cString: sqlite_nio_sqlite3_errmsg(db))
        guard let status, text == "not an error" || text.isEmpty else { return text }
        return String(cString: sqlite_nio_sqlite3_errstr(status))
    }

    private static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        guard stat(a, &first) == 0, stat(b, &second) == 0 else { return false }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }

    /// Makes the rename durable: fsync of the folder that holds the new name.
    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

/// What ``SQLiteBackup/run()`` copied.
public struct SQLiteBackupReport: Sendable {
    /// The database that was copied (absolute path).
    public var source: String
    /// The copy (absolute path).
    public var destination: String
    /// The copy's size in database pages.
    public var pages: Int
    /// The database's page size, in bytes.
    public var pageSize: Int
    /// The copy's file size in bytes.
    public var bytes: Int
    /// How many times a step found the source busy or locked and waited.
    public var busyWaits: Int
    /// `PRAGMA integrity_check` on the copy: "ok".
    public var integrityCheck: String
    /// Wall-clock time of the whole backup.
    public var duration: Duration
}

/// Why a backup was not made. Each description names the file and says what to do.
public enum SQLiteBackupError: Error, CustomStringConvertible, Equatable {
    /// The database file does not exist (or is a folder).
    case sourceMissing(path: String)
    /// The database file is not a SQLite database SQLite can read.
    case notADatabase(path: String, message: String)
    /// The destination exists and ``SQLiteBackup/overwrite`` is off.
    case destinationExists(path: String)
    /// The destination is a folder.
    case destinationIsFolder(path: String)
    /// The destination is the live database itself.
    case destinationIsSource(path: String)
    /// The destination's folder is missing or not writable, or the rename failed.
    case destinationFolder(path: String, problem: String)
    /// The source stayed busy or locked for longer than ``SQLiteBackup/busyLimit``.
    case busy(path: String, waited: Duration)
    /// SQLite refused a step; `message` is SQLite's.
    case sqlite(path: String, action: String, message: String)
    /// The finished copy failed `PRAGMA integrity_check`; `messages` are SQLite's findings.
    case integrity(path: String, messages: [String])

    public var description: String {
        switch self {
        case .sourceMissing(let path):
            "the database \(path) does not exist; check DATELINE_DATABASE_URL (the file serve and import use)"
        case .notADatabase(let path, let message):
            "\(path) cannot be read as a SQLite database: \(message)"
        case .destinationExists(let path):
            "\(path) already exists; choose another file, or pass --force to replace it"
        case .destinationIsFolder(let path):
            "\(path) is a folder; give the name of the file to write, such as \(path)/dateline-backup.sqlite"
        case .destinationIsSource(let path):
            "\(path) is the live database itself or one of its own files (-wal, -shm, -journal); write the copy to another file"
        case .destinationFolder(let path, let problem):
            "cannot write the copy into the folder \(path): \(problem)"
        case .busy(let path, let waited):
            "\(path) stayed locked by another process for \(waited.components.seconds) s; nothing was written, try again"
        case .sqlite(let path, let action, let message):
            "SQLite failed on \(path) (\(action)): \(message); nothing was written"
        case .integrity(let path, let messages):
            "the copy of \(path) failed PRAGMA integrity_check, so it was not kept: \(messages.prefix(5).joined(separator: "; ")); the live database may be damaged — run PRAGMA integrity_check on it"
        }
    }
}
