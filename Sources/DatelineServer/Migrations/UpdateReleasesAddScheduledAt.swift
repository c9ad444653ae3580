import FluentKit

/// Adds the instant an editor scheduled a release for (status `scheduled`).
struct UpdateReleasesAddScheduledAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("releases").field("scheduled_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("releases").deleteField("scheduled_at").update()
    }
}
