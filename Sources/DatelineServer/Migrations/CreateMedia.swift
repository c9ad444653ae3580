import FluentKit
import SQLKit

/// Media attached to releases and organizations' logos: the items (`media`), their renditions'
/// names and sizes (`media_renditions`) and the renditions' bytes (`media_blobs`), all in the
/// database so that every instance on one PostgreSQL serves them and a backup holds them.
struct CreateMedia: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("media")
            .field("id", .string, .identifier(auto: false))
            .field("release_id", .string, .references("releases", "id", onDelete: .cascade))
            .field("organization_id", .uuid, .references("organizations", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("position", .int, .required)
            .field("is_lead", .bool, .required)
            .field("alt", .string, .required)
            .field("caption", .string)
            .field("credit", .string)
            .field("copyright", .string)
            .field("file_name", .string, .required)
            .field("media_type", .string, .required)
            .field("byte_size", .int, .required)
            .field("width", .int)
            .field("height", .int)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("media_renditions")
            .field("id", .string, .identifier(auto: false))
            .field("media_id", .string, .required, .references("media", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("media_type", .string, .required)
            .field("width", .int)
            .field("height", .int)
            .field("byte_size", .int, .required)
            .create()
        try await database.schema("media_blobs")
            .field("id", .string, .identifier(auto: false), .references("media_renditions", "id", onDelete: .cascade))
            .field("bytes", .data, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "media_release").on("media").column("release_id").column("position").run()
            try await sql.create(index: "media_organization").on("media").column("organization_id").run()
            try await sql.create(index: "media_renditions_media").on("media_renditions").column("media_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            for index in ["media_renditions_media", "media_organization", "media_release"] {
                try await sql.drop(index: index).ifExists().run()
            }
        }
        try await database.schema("media_blobs").delete()
        try await database.schema("media_renditions").delete()
        try await database.schema("media").delete()
    }
}
