import FluentKit
import SQLKit

/// The release history: every status change, who made it, when, and why.
struct CreateReleaseEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("release_events")
            .id()
            .field("release_id", .string, .required, .references("releases", "id", onDelete: .cascade))
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("actor", .string, .required)
            .field("note", .string)
            .field("at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "release_events_release").on("release_events").column("release_id").column("at").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "release_events_release").ifExists().run()
        }
        try await database.schema("release_events").delete()
    }
}
