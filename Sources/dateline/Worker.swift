import ArgumentParser
import DatelineServer
import Foundation
import Logging
import ServiceLifecycle

/// `dateline worker`: publishes releases whose embargo lifts or whose scheduled time comes,
/// runs the durable jobs (publish fan-out, WebSub pings), sends subscribers' mail and the daily
/// digest, without serving pages — for operators who run workers as processes of their own
/// (`serve --no-jobs`).
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Publish due releases, run queued jobs and send subscribers' mail until stopped.")

    @Option(help: "SMTP connections to use side by side.")
    var connections = 4

    @Option(help: "Seconds a worker holds the mail it has claimed; if it dies, another worker takes the rest over after this.")
    var claimSeconds = 120

    @Flag(help: "Stop once no job, release or message is due (for scripts and benchmarks).")
    var untilIdle = false

    func run() async throws {
        let settings = try loadSettings()
        var logger = Logger(label: "dateline-worker")
        logger.logLevel = .info
        let hub: DatabaseHub
        let deliverer: OutboxDeliverer
        do {
            hub = try DatabaseHub(location: settings.database, logger: logger)
            try await hub.migrate()
            deliverer = try await OutboxDeliverer.load(hub: hub, settings: settings, logger: logger, connections: max(1, connections), claimSeconds: TimeInterval(max(1, claimSeconds)))
        } catch {
            printError("dateline worker: cannot start: \(error)")
            throw ExitCode.failure
        }
        if untilIdle {
            await ReleaseScheduler(hub: hub, logger: logger).publishDue()
            let jobs = JobWorker(hub: hub, settings: settings, logger: logger)
            while await jobs.runDueJobs() > 0 {}
            await deliverer.deliverDue()
            await deliverer.closeIdleSessions()
            await hub.shutdown()
            return
        }
        let group = ServiceGroup(
            services: [
                ReleaseScheduler(hub: hub, logger: logger),
                JobWorker(hub: hub, settings: settings, logger: logger),
                deliverer,
                DigestScheduler(hub: hub, settings: settings, logger: logger),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await group.run()
        await hub.shutdown()
    }
}
