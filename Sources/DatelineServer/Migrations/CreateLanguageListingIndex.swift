import FluentKit
import SQLKit

/// Adds `releases_language_listing` (language, then the listings' order, then the public-read
/// columns), so a language's page (`/languages/<tag>`) reads its releases in order from an index
/// however few of the archive's releases are in that language.
struct CreateLanguageListingIndex: AsyncMigration {
    static let index = (name: "releases_language_listing", columns: ["language", "released_at", "published_at", "id", "status", "embargo_until"])

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        var create = sql.create(index: Self.index.name).on("releases")
        for column in Self.index.columns { create = create.column(column) }
        try await create.run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: Self.index.name).ifExists().run()
    }
}
