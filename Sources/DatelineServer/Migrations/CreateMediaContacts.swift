import FluentKit

struct CreateMediaContacts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("media_contacts")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("title", .string)
            .field("affiliation", .string)
            .field("email", .string)
            .field("phone", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("media_contacts").delete()
    }
}
