import FluentKit

/// Adds the release's version number, which agency formats (ninjs, NewsML-G2) carry.
struct UpdateReleasesAddVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("releases")
            .field("version", .int, .required, .sql(.default(1)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("releases").deleteField("version").update()
    }
}
