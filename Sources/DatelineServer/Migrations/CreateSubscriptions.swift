import FluentKit
import SQLKit

/// Readers' subscriptions and the mail they are owed: subscribers, what each follows, sign-up
/// attempts (for throttling), the outbox, digest runs, and site-wide settings (the token key
/// and the support appeal).
struct CreateSubscriptions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("subscribers")
            .id()
            .field("email", .string, .required)
            .field("status", .string, .required)
            .field("cadence", .string, .required)
            .field("everything", .bool, .required)
            .field("created_at", .datetime)
            .field("confirmed_at", .datetime)
            .field("unsubscribed_at", .datetime)
            .unique(on: "email")
            .create()
        try await database.schema("subscriber_follows")
            .id()
            .field("subscriber_id", .uuid, .required, .references("subscribers", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("value", .string, .required)
            .unique(on: "subscriber_id", "kind", "value")
            .create()
        try await database.schema("subscription_attempts")
            .id()
            .field("email", .string, .required)
            .field("client", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("outbox")
            .field("id", .int64, .identifier(auto: true))
            .field("subscriber_id", .uuid, .required, .references("subscribers", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("reference", .string, .required)
            .field("payload", .string)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("run_at", .datetime, .required)
            .field("locked_until", .datetime)
            .field("sent_at", .datetime)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "kind", "reference", "subscriber_id")
            .create()
        try await database.schema("digest_runs")
            .id()
            .field("scheduled_for", .datetime, .required)
            .field("window_start", .datetime, .required)
            .field("window_end", .datetime, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "scheduled_for")
            .create()
        try await database.schema("site_settings")
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "outbox_due").on("outbox").column("state").column("run_at").run()
            try await sql.create(index: "subscriber_follows_value").on("subscriber_follows").column("kind").column("value").run()
            try await sql.create(index: "subscription_attempts_email").on("subscription_attempts").column("email").column("created_at").run()
            try await sql.create(index: "subscription_attempts_client").on("subscription_attempts").column("client").column("created_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            for index in ["subscription_attempts_client", "subscription_attempts_email", "subscriber_follows_value", "outbox_due"] {
                try await sql.drop(index: index).ifExists().run()
            }
        }
        for table in ["site_settings", "digest_runs", "outbox", "subscription_attempts", "subscriber_follows", "subscribers"] {
            try await database.schema(table).delete()
        }
    }
}
