import DatelineCore
import FluentKit
import Foundation
import Logging

/// What each kind of job does. Each handler is idempotent: a retry after a crash repeats at
/// most a notification that is harmless to repeat.
struct JobHandlers: Sendable {
    let hub: DatabaseHub
    let settings: Settings
    let clock: @Sendable () -> Date
    let logger: Logger
    let webSubTimeout: Duration

    func run(_ job: JobModel, queue: JobQueue) async throws {
        switch JobKind(rawValue: job.kind) {
        case .releaseChanged:
            try await fanOut(try JobPayload.decode(ReleaseChanged.self, from: job.payload), job: job)
        case .webSubPing:
            try await WebSubNotifier(hubURL: settings.webSubHub, timeout: webSubTimeout).notify(topic: try JobPayload.decode(WebSubPing.self, from: job.payload).topic)
            try await queue.markDone(job)
        case nil:
            throw JobError.unknownKind(job.kind)
        }
    }

    /// The publish event's fan-out: one WebSub ping for each feed the release appears in, and on
    /// first publication one outbox row per instant-alert subscriber who follows it — written
    /// together with the event's completion so that a crash between the two repeats neither.
    private func fanOut(_ change: ReleaseChanged, job: JobModel) async throws {
        let now = clock()
        let release = try await ReleaseModel.query(on: hub.database)
            .filter(\.$id == change.releaseID)
            .with(\.$organization).with(\.$contacts).with(\.$topics)
            .first()?.release
        try await hub.write { database in
            if let release, settings.webSubHub != nil, release.status.isPubliclyReadable {
                for topic in FeedTopics.urls(for: release, base: settings.baseURL) {
                    try await JobQueue.enqueue(.webSubPing, WebSubPing(topic: topic.absoluteString), at: now, on: database)
                }
            }
            // Alerts announce a release once: not its corrections, not its retraction. Read
            // through the public read path, so an embargoed release alerts nobody.
            if let release, release.status == .published, release.version == 1,
               try await !PublicReleases(database: database, now: now).listed(ids: [release.id]).isEmpty {
                let queued = try await Outbox.enqueueAlerts(for: release, at: now, on: database)
                if queued > 0 { logger.info("Release \(release.id.rawValue): \(queued) alerts queued") }
            }
            job.doneAt = now
            job.lockedUntil = nil
            try await job.save(on: database)
        }
    }
}

/// Every feed a release appears in: the site's, its organization's, its topics' and its
/// language's, in each format.
enum FeedTopics {
    static func urls(for release: Release, base: URL) -> [URL] {
        var subjects: [FeedSubject] = [.site, .organization(release.organization.slug), .language(release.language)]
        subjects += release.topics.map { .topic($0.slug) }
        return subjects.flatMap { subject in FeedFormat.allCases.map { SiteURL.feed(subject, $0).absolute(base: base) } }
    }
}

enum JobError: Error, CustomStringConvertible {
    case unknownKind(String)

    var description: String {
        switch self {
        case .unknownKind(let kind): "no handler for jobs of kind '\(kind)'"
        }
    }
}
