import ArgumentParser
import DatelineServer
import Foundation
import Logging

/// Opens the configured database for a one-off command, or stops with the reason.
func openDatabase(_ command: String) async throws -> (Settings, DatabaseHub) {
    let settings = try loadSettings()
    var logger = Logger(label: "dateline")
    logger.logLevel = .warning
    do {
        let hub = try DatabaseHub(location: settings.database, logger: logger)
        try await hub.migrate()
        return (settings, hub)
    } catch {
        printError("dateline \(command): cannot open the database: \(error)")
        throw ExitCode.failure
    }
}

/// Runs `body` with the database, closes it, and turns a refusal into a message and exit code 1.
func withDatabase(_ command: String, _ body: (Settings, DatabaseHub) async throws -> Void) async throws {
    let (settings, hub) = try await openDatabase(command)
    do {
        try await body(settings, hub)
        await hub.shutdown()
    } catch {
        await hub.shutdown()
        printError("dateline \(command): \(error)")
        throw ExitCode.failure
    }
}

/// `dateline correct SLUG --body-file FILE --note "..."`: publish a corrected text.
struct Correct: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Correct a published release; the earlier text is kept and a dated note is shown."
    )

    @Argument(help: "The release's slug or id.") var release: String
    @Option(help: "A file with the corrected body (Markdown).") var bodyFile: String
    @Option(help: "A corrected headline.") var headline: String?
    @Option(help: "What changed and why, as readers will see it.") var note: String

    func run() async throws {
        let body: String
        do {
            body = try String(contentsOfFile: bodyFile, encoding: .utf8)
        } catch {
            printError("dateline correct: cannot read \(bodyFile) as UTF-8 text: \(error.localizedDescription)")
            throw ExitCode.failure
        }
        try await withDatabase("correct") { _, hub in
            let version = try await ReleaseCorrections(hub: hub).correct(release, headline: headline, body: body, note: note, actor: "cli:operator")
            print("Corrected \(release): now version \(version).")
        }
    }
}

/// `dateline retract SLUG --note "..."`: a notice to disregard.
struct Retract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Retract a published release: its page keeps a notice to disregard, and it leaves listings."
    )

    @Argument(help: "The release's slug or id.") var release: String
    @Option(help: "Why the release is withdrawn, as readers will see it.") var note: String

    func run() async throws {
        try await withDatabase("retract") { _, hub in
            try await ReleaseCorrections(hub: hub).retract(release, note: note, actor: "cli:operator")
            print("Retracted \(release).")
        }
    }
}
