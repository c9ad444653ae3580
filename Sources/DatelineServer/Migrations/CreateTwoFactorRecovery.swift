import FluentKit
import SQLKit

/// Two-factor recovery: single-use recovery codes (only their SHA-256 is stored) and the log of
/// account events an administrator answers for (a second factor reset, new recovery codes).
struct CreateTwoFactorRecovery: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("recovery_codes")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "user_id", "code_hash")
            .create()
        try await database.schema("account_events")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("actor", .string, .required)
            .field("at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "account_events_user").on("account_events").column("user_id").column("at").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "account_events_user").ifExists().run()
        }
        try await database.schema("account_events").delete()
        try await database.schema("recovery_codes").delete()
    }
}
