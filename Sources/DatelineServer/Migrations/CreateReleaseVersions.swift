import FluentKit

/// Corrections and retractions: earlier versions of corrected releases, each with the dated note
/// that explains the correction, and the note that comes with a retraction.
struct CreateReleaseVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("releases").field("retraction_note", .string).update()
        try await database.schema("release_versions")
            .id()
            .field("release_id", .string, .required, .references("releases", "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("headline", .string, .required)
            .field("subheadline", .string)
            .field("body", .string, .required)
            .field("correction_note", .string, .required)
            .field("corrected_at", .datetime, .required)
            .unique(on: "release_id", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("release_versions").delete()
        try await database.schema("releases").deleteField("retraction_note").update()
    }
}
