import DatelineCore
import FluentKit
import Foundation
import NIOCore
import SQLKit

/// The outbox: one row per message owed to a subscriber, unique per kind, reference (release
/// id, digest run id, confirmation nonce) and subscriber, so a release or digest reaches each
/// subscriber at most once however often the fan-out runs.
///
/// A row's `state` moves `pending` → `sending` → `sent`. `sending` is written just before the
/// SMTP server is given the final "." of the message; a row found `sending` after its claim
/// ran out belongs to a worker that died at that moment, and becomes `unconfirmed` instead of
/// being sent again. Refusals go back to `pending` with a backoff (4yz) or to `failed` (5yz).
/// All statements are parameterized SQL (SQLKit binds).
struct Outbox: Sendable {
    enum Kind: String, Sendable {
        case confirmation, alert, digest
    }

    enum State: String, Sendable {
        case pending, sending, sent, failed, unconfirmed, skipped
    }

    /// A claimed row.
    struct Entry: Sendable {
        var id: Int64
        var subscriberID: UUID
        var kind: Kind
        var reference: String
        var payload: String?
        var attempts: Int
        /// When the claim on the row runs out and another worker may take it.
        var claimedUntil: Date
    }

    let hub: DatabaseHub
    /// How long a claim holds rows, in seconds; the rows of a worker that died wait this long
    /// before another takes them. Longer than two batches take to send (the deliverer claims one
    /// ahead, and sizes batches to fit).
    var claimSeconds: TimeInterval = 120
    static let maximumAttempts = 10

    // MARK: - Writing

    /// One alert per confirmed instant subscriber who follows the release, in one statement.
    /// - Returns: how many rows were added (0 when the fan-out already ran).
    @discardableResult
    static func enqueueAlerts(for release: Release, at now: Date, on database: any Database) async throws -> Int {
        guard let sql = database as? any SQLDatabase else { return 0 }
        let topics = release.topics.map(\.slug.rawValue)
        let topicCondition: SQLQueryString = topics.isEmpty ? "" : " OR (f.kind = 'topic' AND f.value IN (\(binds: topics)))"
        let before = try await count(on: sql, kind: .alert, reference: release.id.rawValue)
        try await sql.raw("""
            INSERT INTO outbox (subscriber_id, kind, reference, state, attempts, run_at, created_at)
            SELECT s.id, 'alert', \(bind: release.id.rawValue), 'pending', 0, \(bind: now), \(bind: now)
            FROM subscribers s
            WHERE s.status = 'confirmed' AND s.cadence = 'instant'
              AND (s.everything = \(bind: true) OR EXISTS (
                    SELECT 1 FROM subscriber_follows f WHERE f.subscriber_id = s.id
                      AND ((f.kind = 'organization' AND f.value = \(bind: release.organization.slug.rawValue))\(topicCondition))))
              AND (NOT EXISTS (SELECT 1 FROM subscriber_follows f WHERE f.subscriber_id = s.id AND f.kind = 'language')
                   OR EXISTS (SELECT 1 FROM subscriber_follows f WHERE f.subscriber_id = s.id AND f.kind = 'language' AND f.value = \(bind: release.language.rawValue)))
            ON CONFLICT DO NOTHING
            """).run()
        return try await count(on: sql, kind: .alert, reference: release.id.rawValue) - before
    }

    /// A confirmation message for a new (or returning) subscriber.
    static func enqueueConfirmation(subscriberID: UUID, at now: Date, on database: any Database) async throws {
        try await insert(subscriberID: subscriberID, kind: .confirmation, reference: UUID().uuidString, payload: nil, at: now, on: database)
    }

    /// One digest message listing `releaseIDs` (newest first).
    static func enqueueDigest(run: UUID, subscriberID: UUID, releaseIDs: [String], at now: Date, on database: any Database) async throws {
        try await insert(subscriberID: subscriberID, kind: .digest, reference: run.uuidString, payload: releaseIDs.joined(separator: ","), at: now, on: database)
    }

    private static func insert(subscriberID: UUID, kind: Kind, reference: String, payload: String?, at now: Date, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("""
            INSERT INTO outbox (subscriber_id, kind, reference, payload, state, attempts, run_at, created_at)
            VALUES (\(bind: subscriberID), \(bind: kind.rawValue), \(bind: reference), \(bind: payload), 'pending', 0, \(bind: now), \(bind: now))
            ON CONFLICT DO NOTHING
            """).run()
    }

    private static func count(on sql: any SQLDatabase, kind: Kind, reference: String) async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM outbox WHERE kind = \(bind: kind.rawValue) AND reference = \(bind: reference)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: - Delivering

    /// Marks rows whose worker died after writing `sending` as `unconfirmed`, then claims up to
    /// `limit` due `pending` rows. On PostgreSQL rows another worker holds are skipped.
    func claim(limit: Int, now: Date) async throws -> [Entry] {
        let skipLocked: SQLQueryString = hub.location.isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
        let claimedUntil = now.addingTimeInterval(claimSeconds)
        let rows = try await hub.writeSQL { sql in
            try await sql.raw("""
                UPDATE outbox SET state = 'unconfirmed', last_error = 'the worker stopped after handing the message to the SMTP server and before its answer was recorded', locked_until = NULL
                WHERE state = 'sending' AND locked_until <= \(bind: now)
                """).run()
            return try await sql.raw("""
                UPDATE outbox SET locked_until = \(bind: claimedUntil)
                WHERE id IN (
                    SELECT id FROM outbox
                    WHERE state = 'pending' AND run_at <= \(bind: now) AND (locked_until IS NULL OR locked_until <= \(bind: now))
                    ORDER BY run_at, id LIMIT \(bind: limit)\(skipLocked))
                RETURNING id, subscriber_id, kind, reference, payload, attempts
                """).all()
        }
        return try rows.compactMap { row in
            guard let kind = Kind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
            return Entry(
                id: try row.decode(column: "id", as: Int64.self),
                subscriberID: try row.decode(column: "subscriber_id", as: UUID.self),
                kind: kind,
                reference: try row.decode(column: "reference", as: String.self),
                payload: try row.decode(column: "payload", as: String?.self),
                attempts: try row.decode(column: "attempts", as: Int.self),
                claimedUntil: claimedUntil
            )
        }.sorted { $0.id < $1.id }
    }

    /// How long before its claim runs out a worker stops giving rows the final ".": 5 s, or a
    /// quarter of a shorter claim. Until then no other worker can have taken the row, so the
    /// `sending` record (see ``SendingRecorder``) need not wait for the database to confirm it.
    var claimMargin: TimeInterval { min(5, claimSeconds / 4) }

    /// Records that these messages were accepted by the server.
    func markSent(_ ids: [Int64], at now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await hub.writeSQL { sql in
            try await sql.raw("""
                UPDATE outbox SET state = 'sent', sent_at = \(bind: now), locked_until = NULL, attempts = attempts + 1
                WHERE state = 'sending' AND id IN (\(binds: ids))
                """).run()
        }
    }

    /// Gives claimed rows back unsent, for the next claim to take at once.
    func release(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await hub.writeSQL { sql in
            try await sql.raw("""
                UPDATE outbox SET locked_until = NULL WHERE state = 'pending' AND id IN (\(binds: ids))
                """).run()
        }
    }

    /// Records a message the server accepted although its `sending` record did not take
    /// (see ``SendingNotRecorded``), so that it is not sent again.
    func recordDelivered(_ id: Int64, at now: Date, note: String) async throws {
        try await hub.writeSQL { sql in
            try await sql.raw("""
                UPDATE outbox SET state = 'sent', sent_at = \(bind: now), locked_until = NULL, attempts = attempts + 1,
                    last_error = \(bind: String(note.prefix(500)))
                WHERE id = \(bind: id)
                """).run()
        }
    }

    /// A refusal or failure before the message could have been delivered: retried after a
    /// backoff (30 s, 1, 2, 4 … minutes, at most 6 hours), or given up after ``maximumAttempts``.
    func markRetry(_ entry: Entry, error: String, at now: Date) async throws {
        let attempts = entry.attempts + 1
        if attempts >= Self.maximumAttempts {
            try await finish(entry, state: .failed, error: error)
            return
        }
        let delay = min(6 * 3600, 30 * pow(2, Double(attempts - 1)))
        try await hub.writeSQL { sql in
            try await sql.raw("""
                UPDATE outbox SET state = 'pending', attempts = \(bind: attempts), run_at = \(bind: now.addingTimeInterval(delay)),
                    locked_until = NULL, last_error = \(bind: String(error.prefix(500)))
                WHERE id = \(bind: entry.id)
                """).run()
        }
    }

    /// Ends a row for good: `failed` (refused permanently), `unconfirmed` (no answer after the
    /// final "."), or `skipped` (nothing to send any more).
    func finish(_ entry: Entry, state: State, error: String?) async throws {
        try await hub.writeSQL { sql in
            try await sql.raw("""
                UPDATE outbox SET state = \(bind: state.rawValue), locked_until = NULL, attempts = attempts + 1, last_error = \(bind: error.map { String($0.prefix(500)) })
                WHERE id = \(bind: entry.id)
                """).run()
        }
    }

    /// Rows still to send now or later (pending), for `--until-idle` and tests.
    func pendingCount() async throws -> Int {
        let row = try await hub.sql.raw("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending' OR state = 'sending'").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The earliest time a pending row is due, if any.
    func nextDue() async throws -> Date? {
        let row = try await hub.sql.raw("SELECT MIN(run_at) AS due FROM outbox WHERE state = 'pending'").first()
        return try row?.decode(column: "due", as: Date?.self)
    }
}

extension DatabaseLocation {
    var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }
}
