import FluentKit
import SQLKit

/// The page cache's invalidation log: one row per committed change of what public pages show,
/// written in the change's own transaction, which every `serve` process reads to drop the cached
/// responses it holds for those tags (``PageCacheInvalidationFeed``).
///
/// `id` grows with every row in commit order: writes run one at a time across processes on
/// both engines (docs/architecture.md, "Writes"), so a reader that has seen id N has seen every
/// row committed before it. `tags` is a space-separated list (``PageCacheTag``).
struct CreatePageCacheInvalidations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            // AUTOINCREMENT: an id is never reused, even after the newest rows are pruned.
            try await sql.raw("""
                CREATE TABLE page_cache_invalidations (id INTEGER PRIMARY KEY AUTOINCREMENT, \
                tags TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)
                """).run()
        } else {
            try await sql.raw("""
                CREATE TABLE page_cache_invalidations (id BIGSERIAL PRIMARY KEY, \
                tags TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(table: "page_cache_invalidations").ifExists().run()
    }
}
