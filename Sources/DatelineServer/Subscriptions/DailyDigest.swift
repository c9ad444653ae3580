import DatelineCore
import FluentKit
import Foundation
import Logging
import ServiceLifecycle

/// The daily digest: once a day, at ``Settings/digestHour`` (UTC), one message per daily
/// subscriber listing the releases they follow that were first published since the previous
/// digest. Each run is a row in `digest_runs`, unique by the instant it was due, so two
/// processes never both run it and a digest goes to each subscriber once per run.
struct DailyDigest: Sendable {
    let hub: DatabaseHub
    let settings: Settings
    let logger: Logger

    /// The instant the latest scheduled digest was due at or before `now`.
    func latestDueTime(before now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let today = calendar.date(bySettingHour: settings.digestHour, minute: 0, second: 0, of: now)!
        return today <= now ? today : calendar.date(byAdding: .day, value: -1, to: today)!
    }

    /// Runs the scheduled digest if it is due and has not run.
    /// - Returns: how many messages were queued, or `nil` when nothing was due.
    @discardableResult
    func runIfDue(now: Date) async throws -> Int? {
        let due = latestDueTime(before: now)
        let database = try hub.database
        let last = try await DigestRunModel.query(on: database).sort(\.$windowEnd, .descending).first()
        // A digest sent by hand after the scheduled time stands in for that day's.
        if let last, last.windowEnd >= due { return nil }
        return try await run(scheduledFor: due, windowEnd: due, now: now)
    }

    /// A digest now, whatever the hour (`dateline send-digest`), of everything since the last one.
    /// - Returns: how many messages were queued.
    func runNow(now: Date) async throws -> Int {
        try await run(scheduledFor: now, windowEnd: now, now: now) ?? 0
    }

    private func run(scheduledFor: Date, windowEnd: Date, now: Date) async throws -> Int? {
        let database = try hub.database
        let last = try await DigestRunModel.query(on: database).sort(\.$windowEnd, .descending).first()
        let windowStart = max(last?.windowEnd ?? .distantPast, windowEnd.addingTimeInterval(-86400))
        let releases = try await PublicReleases(database: database, now: now).published(from: windowStart, to: windowEnd)
        let subscribers = try await SubscriberModel.query(on: database)
            .filter(\.$status == SubscriberStatus.confirmed.rawValue)
            .filter(\.$cadence == DeliveryCadence.daily.rawValue)
            .with(\.$follows)
            .all()
        do {
            return try await hub.write { database in
                let run = DigestRunModel()
                run.scheduledFor = scheduledFor
                run.windowStart = windowStart
                run.windowEnd = windowEnd
                run.createdAt = now
                try await run.create(on: database)
                guard let runID = run.id, !releases.isEmpty else { return 0 }
                var queued = 0
                for subscriber in subscribers {
                    guard let id = subscriber.id else { continue }
                    let interests = Interests(subscriber)
                    let matching = releases.filter(interests.matches)
                    guard !matching.isEmpty else { continue }
                    try await Outbox.enqueueDigest(run: runID, subscriberID: id, releaseIDs: matching.map(\.id.rawValue), at: now, on: database)
                    queued += 1
                }
                logger.info("Daily digest: \(releases.count) releases, \(queued) messages queued")
                return queued
            }
        } catch {
            // Another process made the same run first (unique scheduled_for).
            if try await DigestRunModel.query(on: try hub.database).filter(\.$scheduledFor == scheduledFor).count() > 0 { return nil }
            throw error
        }
    }
}

/// What a subscriber follows, as a test on a release. The same rule as the SQL of
/// ``Outbox/enqueueAlerts(for:at:on:)``: everything, or any followed organization or topic;
/// then, when languages are chosen, only releases in one of them.
struct Interests {
    var everything: Bool
    var organizations: Set<String>
    var topics: Set<String>
    var languages: Set<String>

    init(_ subscriber: SubscriberModel) {
        everything = subscriber.everything
        let follows = subscriber.$follows.value ?? []
        func values(_ kind: FollowKind) -> Set<String> { Set(follows.filter { $0.kind == kind.rawValue }.map(\.value)) }
        organizations = values(.organization)
        topics = values(.topic)
        languages = values(.language)
    }

    func matches(_ release: Release) -> Bool {
        let followed = everything || organizations.contains(release.organization.slug.rawValue)
            || release.topics.contains { topics.contains($0.slug.rawValue) }
        return followed && (languages.isEmpty || languages.contains(release.language.rawValue))
    }
}

/// Runs the daily digest when its hour comes, inside `serve` and `dateline worker`.
public struct DigestScheduler: Service {
    let digest: DailyDigest
    let clock: @Sendable () -> Date
    let pollInterval: Duration

    public init(hub: DatabaseHub, settings: Settings, logger: Logger, pollInterval: Duration = .seconds(30), clock: @escaping @Sendable () -> Date = { Date() }) {
        digest = DailyDigest(hub: hub, settings: settings, logger: logger)
        self.clock = clock
        self.pollInterval = pollInterval
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        try await digest.runIfDue(now: clock())
                    } catch {
                        digest.logger.error("Daily digest failed: \(error)")
                    }
                    try await Task.sleep(for: pollInterval)
                }
            }
        } catch is CancellationError {}
    }
}
