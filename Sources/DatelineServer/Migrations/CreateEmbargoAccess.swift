import FluentKit

/// Accredited journalists, their personal links to embargoed releases, and the log of each view.
struct CreateEmbargoAccess: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("journalists")
            .id()
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("outlet", .string)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()
        try await database.schema("embargo_links")
            .id()
            .field("token_hash", .string, .required)
            .field("release_id", .string, .required, .references("releases", "id", onDelete: .cascade))
            .field("journalist_id", .uuid, .required, .references("journalists", "id", onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema("embargo_views")
            .id()
            .field("link_id", .uuid, .required, .references("embargo_links", "id", onDelete: .cascade))
            .field("viewed_at", .datetime, .required)
            .field("client_address", .string)
            .field("user_agent", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("embargo_views").delete()
        try await database.schema("embargo_links").delete()
        try await database.schema("journalists").delete()
    }
}
