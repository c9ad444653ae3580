import ArgumentParser
import DatelineServer
import Foundation
import Hummingbird
import Logging

/// `dateline serve`: the public site.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the site over HTTP.")

    @Option(help: "The address to listen on.") var hostname = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @Flag(help: "Load the real releases in Samples/ when the database has no release yet.") var sampleData = false
    @Flag(inversion: .prefixedNo, help: "Run queued jobs (publish fan-out, WebSub pings) inside the server; --no-jobs leaves them to `dateline worker`.") var jobs = true

    func run() async throws {
        let settings = try loadSettings()
        var logger = Logger(label: "dateline")
        // DATELINE_LOG_LEVEL: trace (every SQL statement), debug, info (the default), notice, warning, error.
        logger.logLevel = ProcessInfo.processInfo.environment["DATELINE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        do {
            let app = try await buildApplication(
                settings: settings,
                address: ServerAddress(hostname: hostname, port: port),
                loadSampleData: sampleData,
                runJobs: jobs,
                logger: logger
            )
            try await app.runService()
        } catch {
            printError("dateline serve: \(error)")
            throw ExitCode.failure
        }
    }
}
