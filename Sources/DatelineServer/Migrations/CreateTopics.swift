import FluentKit

struct CreateTopics: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("topics")
            .id()
            .field("name", .string, .required)
            .field("slug", .string, .required)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("topics").delete()
    }
}
