import DatelineCore
import FluentKit
import Foundation
import Logging
import SQLKit
import ServiceLifecycle

/// Publishes releases whose time has come — an embargo's lift time, or the time an editor
/// scheduled — within a poll interval of it, with no visitor needed. Runs inside `serve` and in
/// `dateline worker`; anything overdue at start-up is published on the first poll.
///
/// Each release is published exactly once even when several processes share one database: the
/// status change is a conditional `UPDATE … WHERE status = <the status it was read in> RETURNING id`,
/// and only the process that gets the row back records the event and announces it.
public struct ReleaseScheduler: Service {
    let hub: DatabaseHub
    let logger: Logger
    let clock: @Sendable () -> Date
    /// How often to look for due releases; the lift-time promise is "within 2 seconds".
    let pollInterval: Duration

    public init(hub: DatabaseHub, logger: Logger, pollInterval: Duration = .milliseconds(500), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.hub = hub
        self.logger = logger
        self.pollInterval = pollInterval
        self.clock = clock
    }

    /// How often a long-running process refreshes SQLite's planner statistics.
    static let statisticsInterval: Duration = .seconds(6 * 3600)

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                var statisticsRefreshed = ContinuousClock.now
                while !Task.isCancelled {
                    await publishDue()
                    // A growing archive keeps the listings' query plans: SQLite's statistics are
                    // refreshed every few hours (PostgreSQL's autovacuum does its own).
                    if case .sqlite = hub.location, ContinuousClock.now - statisticsRefreshed > Self.statisticsInterval {
                        statisticsRefreshed = ContinuousClock.now
                        do { try await hub.refreshPlannerStatistics() } catch {
                            logger.warning("Could not refresh the query planner's statistics: \(error)")
                        }
                    }
                    try await Task.sleep(for: pollInterval)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// Publishes every release that is due now.
    /// - Returns: the ids this process published (others may have published the rest).
    @discardableResult
    public func publishDue() async -> [String] {
        let now = clock()
        do {
            let database = try hub.database
            let due = try await ReleaseModel.query(on: database)
                .group(.or) { due in
                    due.group(.and) { $0.filter(\.$status == ReleaseStatus.embargoed.rawValue).filter(\.$embargoUntil <= now) }
                    due.group(.and) { $0.filter(\.$status == ReleaseStatus.scheduled.rawValue).filter(\.$scheduledAt <= now) }
                }
                .all()
            var published: [String] = []
            for release in due {
                if try await publish(release, at: now) { published.append(release.id ?? "") }
            }
            return published
        } catch {
            logger.error("Scheduler could not publish due releases: \(error)")
            return []
        }
    }

    /// - Returns: whether this call published it (false when another process got there first).
    private func publish(_ release: ReleaseModel, at now: Date) async throws -> Bool {
        let published = try await hub.write { database in
            try await ReleaseTransitions.publishDue(release, actor: ReleaseTransitions.SystemActor.scheduler, at: now, on: database)
        }
        if published {
            logger.info("Published release \(release.id ?? "") (\(release.embargoUntil ?? release.scheduledAt ?? now)).")
        }
        return published
    }
}
