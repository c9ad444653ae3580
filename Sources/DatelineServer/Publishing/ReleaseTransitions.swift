import DatelineCore
import FluentKit
import Foundation

/// The one place a release's status changes. Every change is checked by the state machine
/// (``ReleaseStatus/transition(to:)``), recorded in the release's history, and — when the public
/// can see the result — followed by a publish event that the job worker fans out.
enum ReleaseTransitions {
    /// Who changes a release when no person does.
    enum SystemActor {
        static let importer = "cli:import"
        static let scheduler = "system:scheduler"
    }

    /// Records the creation of a release in `status`, on the caller's transaction.
    static func recordCreation(of release: ReleaseModel, actor: String, at now: Date, on database: any Database) async throws {
        try await ReleaseEventModel(releaseID: release.id!, from: nil, to: release.status, actor: actor, note: nil, at: now).create(on: database)
        try await announceIfPublic(release, at: now, on: database)
    }

    /// Moves `release` to `next`, on the caller's transaction.
    /// - Throws: ``ReleaseStatusError`` when the state machine refuses; database errors.
    static func move(_ release: ReleaseModel, to next: ReleaseStatus, actor: String, note: String? = nil, at now: Date, on database: any Database) async throws {
        let previous = release.releaseStatus
        release.status = try previous.transition(to: next).rawValue
        if next == .published, release.publishedAt == nil { release.publishedAt = now }
        try await release.save(on: database)
        try await ReleaseEventModel(releaseID: release.id!, from: previous.rawValue, to: next.rawValue, actor: actor, note: note, at: now).create(on: database)
        try await announceIfPublic(release, at: now, on: database)
    }

    private static func announceIfPublic(_ release: ReleaseModel, at now: Date, on database: any Database) async throws {
        guard release.releaseStatus.isPubliclyReadable else { return }
        try await JobQueue.enqueue(.releaseChanged, ReleaseChanged(releaseID: release.id!), at: now, on: database)
    }
}
