import FluentKit
import SQLKit

/// Adds `id` to the two listing indexes after the listings' sort columns, so that a page that
/// starts after a given release (`?before=slug`, a row-value comparison on release date, first
/// publication and id) is a range of the index read in order, at any depth of the archive; and
/// an index for an organization's feeds (by last change), which otherwise sorted all of a large
/// organization's releases for each request.
struct UpdateListingIndexesForKeyset: AsyncMigration {
    static let indexes: [(name: String, columns: [String])] = [
        ("releases_listing", ["released_at", "published_at", "id", "status", "embargo_until"]),
        ("releases_organization_listing", ["organization_id", "released_at", "published_at", "id", "status", "embargo_until"]),
        ("releases_organization_feed", ["organization_id", "updated_at", "id", "status", "embargo_until"]),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            try await sql.drop(index: index.name).ifExists().run()
            var create = sql.create(index: index.name).on("releases")
            for column in index.columns { create = create.column(column) }
            try await create.run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "releases_organization_feed").ifExists().run()
        for index in CreateListingIndexes.indexes where Self.indexes.contains(where: { $0.name == index.name }) {
            try await sql.drop(index: index.name).ifExists().run()
            var create = sql.create(index: index.name).on(index.table)
            for column in index.columns { create = create.column(column) }
            try await create.run()
        }
    }
}
