import DatelineCore
import FluentKit
import Foundation
import SQLKit

/// What the search index holds of a listed release: its text and language.
struct SearchDocument: Sendable {
    var id: String
    /// BCP 47; chooses PostgreSQL's text search configuration.
    var language: String
    var headline: String
    var subheadline: String?
    /// Markdown.
    var body: String

    init(id: String, language: String, headline: String, subheadline: String?, body: String) {
        self.id = id
        self.language = language
        self.headline = headline
        self.subheadline = subheadline
        self.body = body
    }

    init?(_ release: ReleaseModel) {
        guard let id = release.id else { return nil }
        self.init(id: id, language: release.language, headline: release.headline, subheadline: release.subheadline, body: release.body)
    }

    /// The three weighted fields as the index reads them: folded, Markdown left out.
    /// A body is indexed up to its first ``indexedBodyLength`` characters: PostgreSQL refuses a
    /// tsvector over 1 MB, and a publication must not fail on a very long release.
    var indexedFields: (headline: String, subheadline: String, body: String) {
        (SearchText.fold(headline), SearchText.fold(subheadline ?? ""), SearchText.fold(String(SearchText.plain(markdown: body).prefix(Self.indexedBodyLength))))
    }

    static let indexedBodyLength = 200_000
}

/// One release a search matched, with what facets and ordering need.
struct SearchCandidate: Sendable {
    var id: String
    var language: String
    var releasedAt: Date
    var publishedAt: Date?
    var organizationSlug: String
    var organizationName: String
    /// Higher is more relevant; comparable within one search only.
    var score: Double
}

/// A full-text engine behind ``ReleaseSearch``: SQLite FTS5 or PostgreSQL's text search. Both
/// index only listed releases (written in the transaction of the change that lists or unlists
/// one), and both read through the public read path's conditions, which the caller hands in.
protocol ReleaseSearchEngine: Sendable {
    /// Indexes `documents` (again, when they are indexed already), on the caller's transaction.
    func put(_ documents: [SearchDocument], on sql: any SQLDatabase) async throws
    /// Takes releases out of the index, on the caller's transaction; ids not in it are ignored.
    func remove(ids: [String], on sql: any SQLDatabase) async throws
    /// Listed releases matching `query` and `conditions` (SQL on `releases r`, starting with
    /// ` AND`), at most `limit`, the newest release dates first.
    func candidates(for query: SearchQuery, conditions: SQLQueryString, limit: Int, on sql: any SQLDatabase) async throws -> [SearchCandidate]
}

enum SearchEngines {
    /// The engine of the database `sql` talks to.
    static func engine(for sql: any SQLDatabase) -> any ReleaseSearchEngine {
        sql.dialect.name == "sqlite" ? SQLiteReleaseSearch() : PostgresReleaseSearch()
    }
}

/// The write side of search: the index follows every change that lists or unlists a release.
enum SearchIndex {
    /// Indexes `release` when it is listed (published or corrected) and takes it out otherwise,
    /// on the caller's transaction. ``ReleaseTransitions`` calls it for every status change to
    /// or from a public status, so a publication, a correction (the new text replaces the old),
    /// a retraction and an embargo's lift change the index in the same transaction.
    static func update(_ release: ReleaseModel, on database: any Database) async throws {
        guard let id = release.id else { return }
        let sql = database as! any SQLDatabase
        let engine = SearchEngines.engine(for: sql)
        if ReleaseStatus.listed.contains(release.releaseStatus), let document = SearchDocument(release) {
            try await engine.put([document], on: sql)
        } else {
            try await engine.remove(ids: [id], on: sql)
        }
    }

    /// Indexes every listed release, oldest release date first, in batches (a migration's
    /// backfill of an existing database).
    static func backfill(on sql: any SQLDatabase, batch: Int = 500) async throws {
        let engine = SearchEngines.engine(for: sql)
        let statuses = ReleaseStatus.listed.map(\.rawValue)
        var after: (Date, String)?
        while true {
            var query = SQLQueryString("SELECT id, language, headline, subheadline, body, released_at FROM releases WHERE status IN (\(binds: statuses))")
            if let (date, id) = after {
                // `released_at >=` alone bounds the walk of `releases_listing`: an OR by itself
                // would make both engines read the whole index again for every batch.
                query.appendInterpolation(unsafeRaw: " AND released_at >= ")
                query.appendInterpolation(bind: date)
                query.appendInterpolation(unsafeRaw: " AND (released_at > ")
                query.appendInterpolation(bind: date)
                query.appendInterpolation(unsafeRaw: " OR (released_at = ")
                query.appendInterpolation(bind: date)
                query.appendInterpolation(unsafeRaw: " AND id > ")
                query.appendInterpolation(bind: id)
                query.appendInterpolation(unsafeRaw: "))")
            }
            query.appendInterpolation(unsafeRaw: " ORDER BY released_at, id LIMIT ")
            query.appendInterpolation(bind: batch)
            let rows = try await sql.raw(query).all()
            guard let last = rows.last else { return }
            let documents = try rows.map { row in
                SearchDocument(
                    id: try row.decode(column: "id", as: String.self), language: try row.decode(column: "language", as: String.self),
                    headline: try row.decode(column: "headline", as: String.self), subheadline: try row.decode(column: "subheadline", as: String?.self),
                    body: try row.decode(column: "body", as: String.self)
                )
            }
            try await engine.put(documents, on: sql)
            after = (try last.decode(column: "released_at", as: Date.self), try last.decode(column: "id", as: String.self))
            if rows.count < batch { return }
        }
    }
}
