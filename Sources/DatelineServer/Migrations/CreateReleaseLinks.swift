import FluentKit

struct CreateReleaseLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("release_contacts")
            .id()
            .field("release_id", .string, .required, .references("releases", "id", onDelete: .cascade))
            .field("contact_id", .uuid, .required, .references("media_contacts", "id", onDelete: .cascade))
            .unique(on: "release_id", "contact_id")
            .create()
        try await database.schema("release_topics")
            .id()
            .field("release_id", .string, .required, .references("releases", "id", onDelete: .cascade))
            .field("topic_id", .uuid, .required, .references("topics", "id", onDelete: .cascade))
            .unique(on: "release_id", "topic_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("release_topics").delete()
        try await database.schema("release_contacts").delete()
    }
}
