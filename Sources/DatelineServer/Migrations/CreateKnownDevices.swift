import FluentKit
import SQLKit

/// Known devices: browsers where a user has signed in before (only a hash of each device
/// cookie is stored), and which device each sign-in attempt came from, so that failed attempts
/// from new devices lock only new devices.
struct CreateKnownDevices: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("known_devices")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await database.schema("sign_in_attempts").field("device_id", .uuid).update()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "sign_in_attempts_device").on("sign_in_attempts").column("device_id").column("at").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "sign_in_attempts_device").ifExists().run()
        }
        try await database.schema("sign_in_attempts").deleteField("device_id").update()
        try await database.schema("known_devices").delete()
    }
}
