import FluentKit

/// Adds the profile and contact details a release brought with it, held until it is public
/// (JSON, see `LearnedProfile`).
struct UpdateReleasesAddLearnedProfile: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("releases").field("learned_profile", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("releases").deleteField("learned_profile").update()
    }
}
