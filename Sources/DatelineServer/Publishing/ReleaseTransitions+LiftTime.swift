import DatelineCore
import FluentKit
import Foundation
import SQLKit

/// An editor's hold on a release waiting for its time: an embargoed release's lift time, or a
/// scheduled release's publication time, moved, brought forward to now, or the release taken back
/// to draft (``ReleaseTransitions/move(_:to:actor:note:at:on:)``). Each is recorded in the
/// release's history, and each is safe against the scheduler acting at the same moment: the
/// row is changed only while it still waits (its status unchanged and its time not yet come), so
/// either the scheduler publishes it first and the editor is told, or the editor's change holds.
extension ReleaseTransitions {
    /// The statuses that wait for a time: the column holding it and how the newsroom names it.
    static func waitingTime(of status: ReleaseStatus) -> (column: String, name: String)? {
        switch status {
        case .embargoed: ("embargo_until", "lift time")
        case .scheduled: ("scheduled_at", "publication time")
        default: nil
        }
    }

    /// Moves the time an embargoed or scheduled release waits for to `time`, on the caller's
    /// transaction, and records the change (from and to, in UTC) in its history.
    /// - Throws: ``ReleaseChangeError/changedMeanwhile`` when the release no longer waits (the
    ///   scheduler published it, or someone else changed it); ``LiftTimeError`` for a release that
    ///   does not wait, whose time has come, or a time not in the future; database errors.
    static func moveWaitingTime(_ release: ReleaseModel, to time: Date, actor: String, note: String?, at now: Date, on database: any Database) async throws {
        let status = release.releaseStatus
        guard let waiting = waitingTime(of: status), let id = release.id else { throw LiftTimeError.notWaiting(status) }
        guard time > now else { throw LiftTimeError.notInFuture }
        if status == .scheduled, let lift = release.embargoUntil, time < lift { throw LiftTimeError.beforeEmbargo(lift) }
        let previous = status == .embargoed ? release.embargoUntil : release.scheduledAt
        if let previous, previous <= now { throw LiftTimeError.timeHasCome(waiting.name) }
        try await claimWaiting(id, status: status, column: waiting.column, newTime: time, at: now, on: database)
        if status == .embargoed {
            try await moveEmbargoLinks(of: id, to: time, on: database)
            release.setTiming(.embargoed(until: time))
        } else {
            release.scheduledAt = time
        }
        let change = "\(waiting.name.prefix(1).uppercased())\(waiting.name.dropFirst()) moved from \(previous.map(utc) ?? "none") to \(utc(time))"
        try await ReleaseEventModel(releaseID: id, from: status.rawValue, to: status.rawValue, actor: actor, note: [change, note].compactMap { $0 }.joined(separator: ": "), at: now).create(on: database)
    }

    /// Publishes an embargoed or scheduled release now, before its time, on the caller's
    /// transaction: its time becomes `now` (an embargo's lift time too, so the release reads as
    /// lifted at that moment), then it is published as the scheduler would publish it
    /// (``publishDue(_:actor:note:at:on:)``), with the editor as the actor.
    /// - Throws: as ``moveWaitingTime(_:to:actor:note:at:on:)``.
    static func publishNow(_ release: ReleaseModel, actor: String, note: String?, at now: Date, on database: any Database) async throws {
        let status = release.releaseStatus
        guard let waiting = waitingTime(of: status), let id = release.id else { throw LiftTimeError.notWaiting(status) }
        if status == .scheduled, let lift = release.embargoUntil, lift > now { throw LiftTimeError.beforeEmbargo(lift) }
        let previous = status == .embargoed ? release.embargoUntil : release.scheduledAt
        if let previous, previous <= now { throw LiftTimeError.timeHasCome(waiting.name) }
        try await claimWaiting(id, status: status, column: waiting.column, newTime: now, at: now, on: database)
        if status == .embargoed {
            release.setTiming(.embargoed(until: now))
        } else {
            release.scheduledAt = now
        }
        let early = "Published before its \(waiting.name) (\(previous.map(utc) ?? "none"))"
        guard try await publishDue(release, actor: actor, note: [early, note].compactMap { $0 }.joined(separator: ": "), at: now, on: database) else {
            throw ReleaseChangeError.changedMeanwhile
        }
    }

    /// Takes a release back to draft from embargoed or scheduled, on the caller's transaction,
    /// only while its time has not come (``ReleaseTransitions/move(_:to:actor:note:at:on:)``
    /// then checks its status as read).
    /// - Throws: ``LiftTimeError`` for a release that does not wait or whose time has come;
    ///   ``ReleaseChangeError/changedMeanwhile``; database errors.
    static func holdBack(_ release: ReleaseModel, actor: String, note: String?, at now: Date, on database: any Database) async throws {
        let status = release.releaseStatus
        guard let waiting = waitingTime(of: status), let id = release.id else { throw LiftTimeError.notWaiting(status) }
        let time = status == .embargoed ? release.embargoUntil : release.scheduledAt
        if let time, time <= now { throw LiftTimeError.timeHasCome(waiting.name) }
        let sql = database as! any SQLDatabase
        // The row is claimed with its time still ahead, so the scheduler cannot publish it meanwhile.
        let claimed = try await sql.update(ReleaseModel.schema)
            .set("updated_at", to: now)
            .where("id", .equal, id)
            .where("status", .equal, status.rawValue)
            .where(SQLIdentifier(waiting.column), .greaterThan, SQLBind(now))
            .returning("id")
            .all()
        guard !claimed.isEmpty else { throw ReleaseChangeError.changedMeanwhile }
        try await move(release, to: .draft, actor: actor, note: note, at: now, on: database)
    }

    /// Journalists' embargo links expire at the lift time: they follow it when it moves.
    private static func moveEmbargoLinks(of releaseID: String, to lift: Date, on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.update(EmbargoLinkModel.schema).set("expires_at", to: lift).where("release_id", .equal, releaseID).run()
    }

    /// Sets a waiting release's time column to `newTime` (and `embargo_until` stays in step for
    /// an embargo) only while it still has `status` and its time has not come.
    private static func claimWaiting(_ id: String, status: ReleaseStatus, column: String, newTime: Date, at now: Date, on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let claimed = try await sql.update(ReleaseModel.schema)
            .set(SQLIdentifier(column), to: SQLBind(newTime))
            .set("updated_at", to: now)
            .where("id", .equal, id)
            .where("status", .equal, status.rawValue)
            .where(SQLIdentifier(column), .greaterThan, SQLBind(now))
            .returning("id")
            .all()
        guard !claimed.isEmpty else { throw ReleaseChangeError.changedMeanwhile }
    }

    private static func utc(_ date: Date) -> String {
        NewsroomFormChoices.formatLocal(date) + " UTC"
    }
}

/// A refused change of a waiting release's time.
enum LiftTimeError: Error, CustomStringConvertible {
    case notWaiting(ReleaseStatus)
    case notInFuture
    case beforeEmbargo(Date)
    /// The time has come: the scheduler publishes the release (or has).
    case timeHasCome(String)

    var description: String {
        switch self {
        case .notWaiting(let status): "A \(status.rawValue) release has no lift or publication time to change."
        case .notInFuture: "Give a time in the future; to publish now, use Publish now."
        case .timeHasCome(let name): "Its \(name) has come: the release is being published."
        case .beforeEmbargo(let lift): "The release is embargoed until \(NewsroomFormChoices.formatLocal(lift)) UTC: it cannot be published before that."
        }
    }
}
