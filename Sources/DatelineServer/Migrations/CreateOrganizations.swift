import FluentKit

struct CreateOrganizations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("organizations")
            .id()
            .field("name", .string, .required)
            .field("slug", .string, .required)
            .field("boilerplate", .string)
            .field("website", .string)
            .field("mastodon", .string)
            .field("bluesky", .string)
            .field("x", .string)
            .field("facebook", .string)
            .field("linkedin", .string)
            .field("created_at", .datetime)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("organizations").delete()
    }
}
