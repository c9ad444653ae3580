import DatelineCore
import FluentKit
import Foundation
import SQLKit

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

    /// Moves `release` to `next`, on the caller's transaction, and writes its other changed fields.
    ///
    /// The status changes only if the row still has the status this copy was read with (a
    /// compare-and-set), so two people, or a person and the scheduler, cannot both act on the same
    /// state: the second is refused instead of silently undoing the first.
    /// - Throws: ``ReleaseStatusError`` when the state machine refuses; ``ReleaseChangeError/changedMeanwhile``
    ///   when the release changed since it was read; database errors.
    static func move(_ release: ReleaseModel, to next: ReleaseStatus, actor: String, note: String? = nil, at now: Date, on database: any Database) async throws {
        let previous = release.releaseStatus
        _ = try previous.transition(to: next)
        guard let id = release.id else { throw ReleaseChangeError.notFound("") }
        let sql = database as! any SQLDatabase
        let claimed = try await sql.update(ReleaseModel.schema)
            .set("status", to: next.rawValue)
            .where("id", .equal, id)
            .where("status", .equal, previous.rawValue)
            .returning("id")
            .all()
        guard !claimed.isEmpty else { throw ReleaseChangeError.changedMeanwhile }
        release.status = next.rawValue
        if next == .published, release.publishedAt == nil { release.publishedAt = now }
        try await release.save(on: database)
        try await ReleaseEventModel(releaseID: id, from: previous.rawValue, to: next.rawValue, actor: actor, note: note, at: now).create(on: database)
        try await announceIfPublic(release, at: now, on: database)
    }

    /// Locks a release for an edit while it still has one of `statuses`: on PostgreSQL the
    /// conditional update holds the row until the transaction ends, on SQLite the transaction
    /// holds the database. - Returns: whether the release still had one of them.
    static func claimForEdit(_ id: String, statuses: [ReleaseStatus], at now: Date, on database: any Database) async throws -> Bool {
        let sql = database as! any SQLDatabase
        let claimed = try await sql.update(ReleaseModel.schema)
            .set("updated_at", to: now)
            .where("id", .equal, id)
            .where("status", .in, statuses.map(\.rawValue))
            .returning("id")
            .all()
        return !claimed.isEmpty
    }

    private static func announceIfPublic(_ release: ReleaseModel, at now: Date, on database: any Database) async throws {
        guard release.releaseStatus.isPubliclyReadable else { return }
        try await JobQueue.enqueue(.releaseChanged, ReleaseChanged(releaseID: release.id!), at: now, on: database)
    }
}
