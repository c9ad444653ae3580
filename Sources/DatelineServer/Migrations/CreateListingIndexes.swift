import FluentKit
import SQLKit

/// Indexes for the public listings at archive sizes: each listing's order with the two
/// public-read conditions (status, lift time) in the index, so a page reads index entries in
/// order and touches only the rows it shows, and a "does this organization or topic have a
/// listed release" probe reads one index entry.
struct CreateListingIndexes: AsyncMigration {
    /// Name and columns of each index, on `releases` unless named otherwise.
    static let indexes: [(name: String, table: String, columns: [String])] = [
        // Home page and date order: newest release date first.
        ("releases_listing", "releases", ["released_at", "published_at", "status", "embargo_until"]),
        // An organization's page, its feeds and the "has a listed release" probe.
        ("releases_organization_listing", "releases", ["organization_id", "released_at", "published_at", "status", "embargo_until"]),
        // Feeds and the ninjs list: most recently changed first.
        ("releases_feed", "releases", ["updated_at", "id", "status", "embargo_until"]),
        // Language feeds.
        ("releases_language_feed", "releases", ["language", "updated_at", "status", "embargo_until"]),
        // Sitemaps, news sitemaps and the daily digest: by first publication.
        ("releases_published", "releases", ["published_at", "id", "status", "embargo_until"]),
        // A topic's releases (the unique index is by release first).
        ("release_topics_topic", "release_topics", ["topic_id", "release_id"]),
        // An organization's contacts on its releases.
        ("release_contacts_contact", "release_contacts", ["contact_id", "release_id"]),
        // The scheduler's due releases: lift times and scheduled times that have come.
        ("releases_embargo_due", "releases", ["embargo_until", "status"]),
        ("releases_schedule_due", "releases", ["scheduled_at", "status"]),
    ]

    /// Replaced: with `status` first, SQLite's planner took it for the listings' two-status
    /// filter and sorted every listed release for each page instead of reading
    /// `releases_listing` in order.
    static let replaced = (name: "releases_status_released_at", table: "releases", columns: ["status", "released_at"])

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: Self.replaced.name).ifExists().run()
        for index in Self.indexes {
            var create = sql.create(index: index.name).on(index.table)
            for column in index.columns { create = create.column(column) }
            try await create.run()
        }
        // The planner's statistics are refreshed after the migrations (DatabaseHub.migrate).
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes.reversed() {
            try await sql.drop(index: index.name).ifExists().run()
        }
        var create = sql.create(index: Self.replaced.name).on(Self.replaced.table)
        for column in Self.replaced.columns { create = create.column(column) }
        try await create.run()
    }
}
