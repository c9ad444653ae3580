import FluentKit
import SQLKit

struct CreateReleases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("releases")
            .field("id", .string, .identifier(auto: false))
            .field("slug", .string, .required)
            .field("headline", .string, .required)
            .field("subheadline", .string)
            .field("timing", .string, .required)
            .field("embargo_until", .datetime)
            .field("dateline_city", .string)
            .field("dateline_region", .string)
            .field("released_at", .datetime, .required)
            .field("time_zone", .string, .required)
            .field("body", .string, .required)
            .field("language", .string, .required)
            .field("statement_url", .string)
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .restrict))
            .field("status", .string, .required)
            .field("published_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .create()
        // The public listings read by status, newest first.
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "releases_status_released_at").on("releases").column("status").column("released_at").run()
            try await sql.create(index: "releases_organization_id").on("releases").column("organization_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "releases_organization_id").ifExists().run()
            try await sql.drop(index: "releases_status_released_at").ifExists().run()
        }
        try await database.schema("releases").delete()
    }
}
