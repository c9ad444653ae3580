import FluentKit
import Foundation

/// One durable job in the `jobs` table. A job is done once (`done_at`), or given up after its
/// last attempt (`failed_at`, with the error); until then `run_at` says when to try next.
final class JobModel: Model, @unchecked Sendable {
    static let schema = "jobs"

    @ID(key: .id) var id: UUID?
    /// What to do, a ``JobKind`` raw value.
    @Field(key: "kind") var kind: String
    /// The job's input as JSON.
    @Field(key: "payload") var payload: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "run_at") var runAt: Date
    /// A worker that claimed the job holds it until then; after that another may take it over.
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @OptionalField(key: "done_at") var doneAt: Date?
    @OptionalField(key: "failed_at") var failedAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(kind: JobKind, payload: String, runAt: Date) {
        self.kind = kind.rawValue
        self.payload = payload
        attempts = 0
        self.runAt = runAt
    }
}
