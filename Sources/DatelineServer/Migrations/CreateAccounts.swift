import FluentKit
import SQLKit

/// Accounts: users, their organization memberships, database-backed sessions (so several
/// instances share them) and the sign-in attempts that throttling counts.
struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("totp_secret", .string)
            .field("totp_enabled", .bool, .required)
            .field("totp_last_step", .int64)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()
        try await database.schema("memberships")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .unique(on: "user_id", "organization_id")
            .create()
        try await database.schema("sessions")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("second_factor_passed", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await database.schema("sign_in_attempts")
            .id()
            .field("email", .string, .required)
            .field("client", .string, .required)
            .field("succeeded", .bool, .required)
            .field("at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "sign_in_attempts_email").on("sign_in_attempts").column("email").column("at").run()
            try await sql.create(index: "sign_in_attempts_client").on("sign_in_attempts").column("client").column("at").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "sign_in_attempts_client").ifExists().run()
            try await sql.drop(index: "sign_in_attempts_email").ifExists().run()
        }
        try await database.schema("sign_in_attempts").delete()
        try await database.schema("sessions").delete()
        try await database.schema("memberships").delete()
        try await database.schema("users").delete()
    }
}
