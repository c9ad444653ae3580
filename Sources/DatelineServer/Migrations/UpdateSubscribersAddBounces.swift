import FluentKit
import SQLKit

/// Adds what the outbox learns from refusals: the count of soft bounces (temporary refusals,
/// counted at most once a day), when the last counted one came, and when and why the address
/// was found dead (status `bounced`), with an index for the admins' list of bounced addresses.
struct UpdateSubscribersAddBounces: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        try await database.schema("subscribers").field("soft_bounces", .int, .required, .sql(.default(0))).update()
        try await database.schema("subscribers").field("last_soft_bounce_at", .datetime).update()
        try await database.schema("subscribers").field("bounced_at", .datetime).update()
        try await database.schema("subscribers").field("bounce_reason", .string).update()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "subscribers_bounced").on("subscribers").column("status").column("bounced_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "subscribers_bounced").ifExists().run()
        }
        // Bounced subscribers become plain unsubscribed ones: the status the earlier schema knows
        // that sends them nothing.
        try await database.query(SubscriberModel.self).filter(\.$status == "bounced").set(\.$status, to: "unsubscribed").update()
        for column in ["bounce_reason", "bounced_at", "last_soft_bounce_at", "soft_bounces"] {
            try await database.schema("subscribers").deleteField(.string(column)).update()
        }
    }
}
