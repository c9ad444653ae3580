import ArgumentParser
import DatelineServer
import Foundation
import Logging

/// `dateline migrate`: bring the schema up to date, or take it all the way down.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the database migrations (serve and import also do this).")

    @Flag(help: "Revert every migration instead: this deletes all data.") var revert = false

    func run() async throws {
        let settings = try loadSettings()
        var logger = Logger(label: "dateline")
        logger.logLevel = .info
        let hub = try DatabaseHub(location: settings.database, logger: logger)
        do {
            if revert { try await hub.revertAll() } else { try await hub.migrate() }
        } catch {
            await hub.shutdown()
            printError("dateline migrate: \(error)")
            throw ExitCode.failure
        }
        await hub.shutdown()
        print(revert ? "Reverted every migration." : "The database is up to date.")
    }
}
