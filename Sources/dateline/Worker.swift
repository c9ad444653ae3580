import ArgumentParser
import DatelineServer
import Foundation
import Logging
import ServiceLifecycle

/// `dateline worker`: publishes releases whose embargo lifts or whose scheduled time comes, and
/// runs the durable jobs (publish fan-out, WebSub pings), without serving pages — for operators
/// who run workers as processes of their own (`serve --no-jobs`).
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Publish due releases and run queued jobs (publish fan-out, WebSub pings) until stopped.")

    func run() async throws {
        let settings = try loadSettings()
        var logger = Logger(label: "dateline-worker")
        logger.logLevel = .info
        let hub: DatabaseHub
        do {
            hub = try DatabaseHub(location: settings.database, logger: logger)
            try await hub.migrate()
        } catch {
            printError("dateline worker: cannot open the database: \(error)")
            throw ExitCode.failure
        }
        let group = ServiceGroup(
            services: [ReleaseScheduler(hub: hub, logger: logger), JobWorker(hub: hub, settings: settings, logger: logger)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await group.run()
        await hub.shutdown()
    }
}
