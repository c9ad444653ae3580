import FluentKit
import SQLKit

/// Gives every publicly readable release a first-publication time and every release a
/// last-change time. The listings and the ninjs list page by row-value comparisons on
/// `(released_at, published_at, id)` and `(updated_at, id)`, where a null would drop the row
/// from every page after the first; rows written before these times were always set, or edited
/// by hand, may lack them. Filled from the other times the row has.
struct UpdateReleasesFillPublicationTimes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let readable = ["published", "corrected", "retracted"]
        try await sql.raw("""
            UPDATE releases SET published_at = COALESCE(updated_at, released_at) \
            WHERE published_at IS NULL AND status IN (\(binds: readable))
            """).run()
        try await sql.raw("UPDATE releases SET updated_at = COALESCE(published_at, created_at, released_at) WHERE updated_at IS NULL").run()
    }

    /// Nothing to undo: the times filled in are true enough to keep.
    func revert(on database: any Database) async throws {}
}
