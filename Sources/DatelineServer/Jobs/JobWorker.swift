import FluentKit
import Foundation
import Logging
import ServiceLifecycle

/// Runs due jobs: a lifecycle service inside `serve`, and on its own as `dateline worker`.
/// A job that throws is retried later with backoff; nothing a job does blocks publishing.
public struct JobWorker: Service {
    let queue: JobQueue
    let handlers: JobHandlers
    let logger: Logger
    /// Pause between polls when the queue is empty.
    let pollInterval: Duration

    /// - Parameters:
    ///   - hub: the database the jobs live in.
    ///   - settings: for the public URLs and the WebSub hub.
    ///   - pollInterval: how long to wait between looks at an empty queue.
    ///   - webSubTimeout: how long to wait for the WebSub hub before retrying later.
    public init(
        hub: DatabaseHub, settings: Settings, logger: Logger, pollInterval: Duration = .milliseconds(250),
        webSubTimeout: Duration = .seconds(10), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        queue = JobQueue(hub: hub, clock: clock)
        handlers = JobHandlers(hub: hub, settings: settings, clock: clock, logger: logger, webSubTimeout: webSubTimeout)
        self.logger = logger
        self.pollInterval = pollInterval
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    let worked = await runDueJobs()
                    if worked == 0 { try await Task.sleep(for: pollInterval) }
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// Runs the jobs that are due now.
    /// - Returns: how many were claimed.
    @discardableResult
    public func runDueJobs() async -> Int {
        let jobs: [JobModel]
        do {
            jobs = try await queue.claim(limit: 20)
        } catch {
            logger.error("Cannot claim jobs: \(error)")
            return 0
        }
        // Claimed jobs run side by side, so one slow hub does not hold up the rest.
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask {
                    do {
                        try await handlers.run(job, queue: queue)
                    } catch {
                        logger.warning("Job \(job.kind) \(job.id?.uuidString ?? "") failed (attempt \(job.attempts + 1)): \(error)")
                        try? await queue.markFailed(job, error: "\(error)")
                    }
                }
            }
        }
        return jobs.count
    }
}
