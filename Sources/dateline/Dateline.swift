import ArgumentParser
import DatelineServer
import Foundation

/// The `dateline` command: one binary for the site, the importer and maintenance.
@main
struct Dateline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dateline",
        abstract: "A self-hosted newswire.",
        discussion: """
        Configuration comes from the environment (or a .env file): DATELINE_DATABASE_URL (a SQLite \
        file path, sqlite:// or postgres:// URL; default \(Settings.defaultDatabasePath)), DATELINE_BASE_URL \
        (the public address), DATELINE_WEBSUB_HUB, DATELINE_SITE_NAME, DATELINE_PAGE_SIZE, DATELINE_RESOURCES_DIR, DATELINE_PUBLIC_DIR, DATELINE_SAMPLES_DIR.
        """,
        subcommands: [Serve.self, Import.self, Attach.self, Correct.self, Retract.self, User.self, Journalist.self, EmbargoLink.self, Worker.self, SendDigest.self, Subscriber.self, Migrate.self, Backup.self, BenchDataCommand.self]
    )
}

/// Reads the settings, or stops with the message that says what to fix.
func loadSettings() throws -> Settings {
    do {
        return try Settings.load()
    } catch {
        printError("dateline: \(error)")
        throw ExitCode(78)  // EX_CONFIG
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
