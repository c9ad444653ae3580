import ArgumentParser
import DatelineServer
import Foundation

/// `dateline backup FILE`: a consistent copy of the live SQLite database, made while the site runs.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the SQLite database to FILE, consistently, while the site keeps running.",
        discussion: """
        Uses SQLite's online backup API: the copy is one committed state of the database, taken \
        while serve, import and the worker go on reading and writing. The copy is written beside \
        FILE under a temporary name, checked with PRAGMA integrity_check and only then renamed to \
        FILE, so a failed backup leaves no FILE. To restore: stop the site, replace the database \
        file with the copy (removing its -wal and -shm files), start the site. A PostgreSQL site \
        is backed up with pg_dump instead; docs/operations.md gives both procedures.
        """
    )

    @Argument(help: "The file to write the copy to; its folder must exist.") var file: String
    @Flag(help: "Replace FILE if it exists.") var force = false
    @Option(help: "Database pages copied per step.") var pagesPerStep: Int32 = 256

    func validate() throws {
        guard pagesPerStep > 0 else { throw ValidationError("--pages-per-step must be a positive number of pages") }
    }

    func run() throws {
        let settings = try loadSettings()
        guard case .sqlite(let path) = settings.database else {
            printError("""
                dateline backup: DATELINE_DATABASE_URL names a PostgreSQL database; this command copies the \
                embedded SQLite file only. Back PostgreSQL up with pg_dump (pg_dump -Fc -f dateline.dump DATABASE_URL) \
                and restore with pg_restore into a fresh database: see docs/operations.md.
                """)
            throw ExitCode.failure
        }
        let backup = SQLiteBackup(source: path, destination: file, overwrite: force, pagesPerStep: pagesPerStep)
        do {
            let report = try backup.run()
            let seconds = Double(report.duration.components.seconds) + Double(report.duration.components.attoseconds) / 1e18
            print("""
                Backed up \(report.source) to \(report.destination): \(report.pages) pages of \(report.pageSize) bytes \
                (\(report.bytes) bytes) in \(String(format: "%.2f", seconds)) s\(report.busyWaits > 0 ? ", waited \(report.busyWaits) times for a busy database" : "").
                PRAGMA integrity_check on the copy: \(report.integrityCheck)
                """)
        } catch {
            printError("dateline backup: \(error)")
            throw ExitCode.failure
        }
    }
}
