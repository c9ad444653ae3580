import DatelineCore
import FluentKit
import Foundation
import SQLKit

/// The one place a release is created and its status changes. Every change is checked by the
/// state machine (``ReleaseStatus/transition(to:)``), recorded in the release's history, and — when
/// the public can see the result — followed by a publish event that the job worker fans out.
///
/// It also owns what happens when a release first becomes public (``becomePublic(_:at:on:)``): the
/// release takes its public slug, and the profile and contact details it brought
/// (``LearnedProfile``) reach its organization. Before that moment nothing the release carries is
/// on any public surface.
enum ReleaseTransitions {
    /// Who changes a release when no person does.
    enum SystemActor {
        static let importer = "cli:import"
        static let scheduler = "system:scheduler"
    }

    /// How a new release starts: kept as a draft, or published now (held as `embargoed` while
    /// its embargo has not lifted) — each through the state machine.
    enum Start {
        case draft
        case publish
    }

    /// Creates a release, on the caller's transaction: gives it its id, version 1, a
    /// (provisional) slug and its first status, writes the row, lets `links` attach its contacts
    /// and topics, records the creation in its history and, when it is public at once, does what
    /// ``becomePublic(_:at:on:)`` does and announces it. The caller fills the content fields.
    /// - Throws: ``ReleaseStatusError`` if the state machine refuses; database errors.
    static func create(
        _ release: ReleaseModel, start: Start, actor: String, at now: Date, on database: any Database,
        links: (ReleaseModel, any Database) async throws -> Void = { _, _ in }
    ) async throws {
        release.id = ReleaseID().rawValue
        release.version = 1
        release.slug = try await uniqueSlug(for: release.headline, on: database).rawValue
        let status: ReleaseStatus
        switch start {
        case .draft: status = .draft
        case .publish:
            status = try ReleaseStatus.draft.transition(to: release.releaseTiming.isLifted(at: now) ? .published : .embargoed)
        }
        release.status = status.rawValue
        if status == .published { release.publishedAt = now }
        try await release.create(on: database)
        try await links(release, database)
        try await ReleaseEventModel(releaseID: release.id!, from: nil, to: release.status, actor: actor, note: nil, at: now).create(on: database)
        if status.isPubliclyReadable {
            try await becomePublic(release, at: now, on: database)
            if release.hasChanges { try await release.save(on: database) }
            try await dropCachedPages(of: release, on: database)
            try await SearchIndex.update(release, on: database)
        }
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
        // Images need their alt text before the release goes to review or out.
        if [.submitted, .scheduled, .embargoed, .published].contains(next) {
            let missing = try await MediaStore.imagesWithoutAlt(ofRelease: id, on: database)
            if missing > 0 { throw MediaError.altMissing(count: missing) }
        }
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
        if next.isPubliclyReadable, !previous.isPubliclyReadable { try await becomePublic(release, at: now, on: database) }
        try await release.save(on: database)
        try await ReleaseEventModel(releaseID: id, from: previous.rawValue, to: next.rawValue, actor: actor, note: note, at: now).create(on: database)
        if previous.isPubliclyReadable || next.isPubliclyReadable {
            try await dropCachedPages(of: release, on: database)
            // A correction's new text replaces the old; a retraction leaves the index.
            try await SearchIndex.update(release, on: database)
        }
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

    /// Publishes a release whose lift time or scheduled time has come, on the caller's transaction:
    /// the scheduler's step. The status changes only if the row still has the status and a due
    /// time as read (the release may have been given a later time meanwhile), so each release is
    /// published once even when several processes share the database.
    /// - Returns: whether this call published it (false when another process got there first).
    static func publishDue(_ release: ReleaseModel, actor: String, note: String? = nil, at now: Date, on database: any Database) async throws -> Bool {
        let from = release.releaseStatus
        let to = try from.transition(to: .published)
        guard let id = release.id else { return false }
        let sql = database as! any SQLDatabase
        let claimed = try await sql.update(ReleaseModel.schema)
            .set("status", to: to.rawValue)
            .set("published_at", to: release.publishedAt ?? now)
            .set("updated_at", to: now)
            .where("id", .equal, id)
            .where("status", .equal, from.rawValue)
            .where(from == .embargoed ? "embargo_until" : "scheduled_at", .lessThanOrEqual, now)
            .returning("id")
            .all()
        guard !claimed.isEmpty else { return false }
        release.status = to.rawValue
        release.publishedAt = release.publishedAt ?? now
        try await ReleaseEventModel(releaseID: id, from: from.rawValue, to: to.rawValue, actor: actor, note: note, at: now).create(on: database)
        try await becomePublic(release, at: now, on: database)
        // Written by statement, not `save`, so the last change stays the lift time.
        try await sql.update(ReleaseModel.schema)
            .set("slug", to: release.slug)
            .set("learned_profile", to: SQLLiteral.null)
            .where("id", .equal, id)
            .run()
        try await dropCachedPages(of: release, on: database)
        try await SearchIndex.update(release, on: database)
        try await announceIfPublic(release, at: now, on: database)
        return true
    }

    /// Drops, in every page cache, the release's own documents and every listing, on the
    /// caller's transaction: what a release becoming public, corrected, retracted or hidden
    /// again changes (``PageCacheInvalidation``). Its organization's profile, when the release
    /// brought details to it, is dropped by ``LearnedProfile/apply(toOrganization:attached:on:)``.
    private static func dropCachedPages(of release: ReleaseModel, on database: any Database) async throws {
        try await PageCacheInvalidation.record([.release(release.slug), .listings], on: database)
    }

    /// What happens once, when a release first becomes publicly readable, on the caller's
    /// transaction (the caller saves `release`): it takes its public slug
    /// (``claimPublicSlug(_:on:)``) and the details it brought fill its organization's and
    /// contacts' blanks (``LearnedProfile/apply(toOrganization:on:)``).
    static func becomePublic(_ release: ReleaseModel, at now: Date, on database: any Database) async throws {
        try await claimPublicSlug(release, on: database)
        if let learned = LearnedProfile(stored: release.learnedProfile), let id = release.id {
            let attached = try await ReleaseContactModel.query(on: database).filter(\.$release.$id == id).all().map(\.$contact.id)
            try await learned.apply(toOrganization: release.$organization.id, attached: Set(attached), on: database)
        }
        if release.learnedProfile != nil { release.learnedProfile = nil }
    }

    /// Gives a release becoming public the first slug of its headline that no *public* release
    /// holds. A hidden release (draft, embargoed, …) that holds it is given another slug, so the
    /// public slug never shows that a hidden release with the same headline exists. Hidden
    /// releases' slugs are therefore provisional; a public slug never changes.
    static func claimPublicSlug(_ release: ReleaseModel, on database: any Database) async throws {
        guard let id = release.id else { return }
        let base = Slug(making: release.headline) ?? Slug(making: "release")!
        var candidate = base
        var number = 2
        while true {
            let holder = try await ReleaseModel.query(on: database)
                .filter(\.$slug == candidate.rawValue)
                .filter(\.$id != id)
                .first()
            guard let holder else { break }
            if holder.releaseStatus.isPubliclyReadable {
                candidate = base.numbered(number)
                number += 1
                continue
            }
            holder.slug = try await uniqueSlug(for: holder.headline, on: database).rawValue
            try await holder.save(on: database)
            break
        }
        if release.slug != candidate.rawValue { release.slug = candidate.rawValue }
    }

    /// A slug for a new release: the headline's, numbered when another release already has it.
    /// Until the release is public it is provisional (see ``claimPublicSlug(_:on:)``).
    static func uniqueSlug(for headline: String, on database: any Database) async throws -> Slug {
        let base = Slug(making: headline) ?? Slug(making: "release")!
        var candidate = base
        var number = 2
        while try await ReleaseModel.query(on: database).filter(\.$slug == candidate.rawValue).count() > 0 {
            candidate = base.numbered(number)
            number += 1
        }
        return candidate
    }

    private static func announceIfPublic(_ release: ReleaseModel, at now: Date, on database: any Database) async throws {
        guard release.releaseStatus.isPubliclyReadable else { return }
        try await JobQueue.enqueue(.releaseChanged, ReleaseChanged(releaseID: release.id!), at: now, on: database)
    }
}
