import FluentKit
import Foundation
import SQLKit

/// The durable job queue: enqueue inside the caller's transaction (so a job exists exactly when
/// the change that caused it was committed), claim due jobs, record success or schedule a retry.
struct JobQueue: Sendable {
    let hub: DatabaseHub
    let clock: @Sendable () -> Date

    /// Attempts before a job is given up.
    static let maximumAttempts = 12
    /// How long a claim holds a job before another worker may take it over, in seconds.
    static let claimSeconds: TimeInterval = 60

    /// Adds a job, on `database` — pass the caller's transaction.
    static func enqueue<Payload: Encodable>(_ kind: JobKind, _ payload: Payload, at runAt: Date, on database: any Database) async throws {
        try await JobModel(kind: kind, payload: try JobPayload.encode(payload), runAt: runAt).create(on: database)
    }

    /// Claims up to `limit` due jobs for this worker. On PostgreSQL, rows other workers hold are
    /// skipped (`FOR UPDATE SKIP LOCKED`), so several `serve` processes share the queue without
    /// taking the same job; SQLite has a single writer (``DatabaseHub/write(_:)``), and its transaction does the same.
    func claim(limit: Int) async throws -> [JobModel] {
        let now = clock()
        // Nothing due is the usual answer to a poll, and needs no transaction to give.
        guard try await Self.due(at: now, on: hub.database).first() != nil else { return [] }
        return try await hub.write { database in
            let ids: [UUID]
            switch hub.location {
            case .postgres:
                let sql = database as! any SQLDatabase
                let rows = try await sql.raw("""
                    SELECT id FROM jobs
                    WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= \(bind: now)
                      AND (locked_until IS NULL OR locked_until <= \(bind: now))
                    ORDER BY run_at LIMIT \(bind: limit) FOR UPDATE SKIP LOCKED
                    """).all()
                ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
            case .sqlite:
                ids = try await Self.due(at: now, on: database).sort(\.$runAt).limit(limit).all().compactMap(\.id)
            }
            guard !ids.isEmpty else { return [] }
            try await JobModel.query(on: database).filter(\.$id ~~ ids)
                .set(\.$lockedUntil, to: now.addingTimeInterval(Self.claimSeconds)).update()
            return try await JobModel.query(on: database).filter(\.$id ~~ ids).sort(\.$runAt).all()
        }
    }

    /// Jobs neither done nor given up, due at `now` and held by no worker.
    private static func due(at now: Date, on database: any Database) -> QueryBuilder<JobModel> {
        JobModel.query(on: database)
            .filter(\.$doneAt == nil).filter(\.$failedAt == nil).filter(\.$runAt <= now)
            .group(.or) { $0.filter(\.$lockedUntil == nil).filter(\.$lockedUntil <= now) }
    }

    func markDone(_ job: JobModel) async throws {
        job.doneAt = clock()
        job.lockedUntil = nil
        try await hub.write { try await job.save(on: $0) }
    }

    /// Records a failed attempt: retried after an exponential backoff (2, 4, 8 … seconds, at most
    /// an hour), or given up after ``maximumAttempts``.
    func markFailed(_ job: JobModel, error: String) async throws {
        job.attempts += 1
        job.lastError = String(error.prefix(500))
        job.lockedUntil = nil
        if job.attempts >= Self.maximumAttempts {
            job.failedAt = clock()
        } else {
            job.runAt = clock().addingTimeInterval(Self.backoff(attempts: job.attempts))
        }
        try await hub.write { try await job.save(on: $0) }
    }

    static func backoff(attempts: Int) -> TimeInterval {
        min(3600, pow(2, Double(attempts)))
    }
}
