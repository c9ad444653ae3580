import ArgumentParser
import DatelineServer
import Foundation
import Logging

/// `dateline bench-data`: fill the configured database with many realistic releases for benchmarks.
struct BenchDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-data",
        abstract: "Fill the configured database (SQLite or PostgreSQL) with N realistic releases in bulk, for benchmarks.",
        discussion: """
        Texts come from Samples/ and any --texts folders, read by the importer; organizations have very \
        different sizes, releases spread over 20 years, and a few are left embargoed or as drafts. Adds to \
        what the database holds; use a database of its own, never a live site's.
        """
    )

    @Option(help: "How many releases to write.") var releases: Int
    @Option(help: "How many organizations (default: one per 500 releases, at least 10).") var organizations: Int?
    @Option(name: .customLong("texts"), help: "A folder of further release texts (.txt, .html) to draw from (repeatable).") var textFolders: [String] = []
    @Option(help: "The generator's seed: the same seed makes the same archive.") var seed: UInt64 = 2024

    func run() async throws {
        let settings = try loadSettings()
        var logger = Logger(label: "dateline")
        logger.logLevel = .warning
        let hub = try DatabaseHub(location: settings.database, logger: logger)
        let total = releases
        let started = Date()
        do {
            try await hub.migrate()
            let options = BenchData.Options(releases: releases, organizations: organizations,
                                            textFolders: textFolders.map { URL(fileURLWithPath: $0) }, seed: seed)
            let summary = try await BenchData(hub: hub, settings: settings, logger: logger).run(options) { written in
                guard written % 20_000 == 0 || written == total else { return }
                let seconds = Date().timeIntervalSince(started)
                printError("bench-data: \(written) of \(total) releases (\(Int(Double(written) / max(seconds, 0.001))) a second)")
            }
            await hub.shutdown()
            print("Wrote \(summary).")
        } catch {
            await hub.shutdown()
            printError("dateline bench-data: \(error)")
            throw ExitCode.failure
        }
    }
}
