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

/// The engine could not answer the search in the time it allows: its words match so much of
/// the archive that reading it would hold the server (PostgreSQL's time limits).
struct SearchTooBroad: Error {}

/// A search's facet filters: the results are releases of this language, organization, topic and
/// year (UTC) only, each when given.
struct SearchFilters: Sendable {
    /// Whether results are ordered by relevance, so the engine must score them (sorted by date,
    /// every score is 0).
    var ranked = true
    var language: LanguageTag?
    var organization: Slug?
    var topic: Slug?
    var year: Int?

    /// The language, organization and topic filters as the index's filter words: a letter for
    /// the kind (`l`, `o`, `t`), then the value's letters and digits (`len`, `lptbr`,
    /// `oriverstrust`). Each engine writes the same words beside a release's text, its own way.
    var words: [String] {
        [("l", language?.rawValue), ("o", organization?.rawValue), ("t", topic?.rawValue)].compactMap { kind, value in
            value.map { Self.word(kind, $0) }
        }
    }

    /// A filter word: `kind`, then `value` lowercased with everything but letters and digits
    /// taken out. Letters and digits only, so a quoted word holds no query syntax.
    static func word(_ kind: String, _ value: String) -> String {
        kind + value.lowercased().filter { $0.isLetter || $0.isNumber }
    }
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
    /// `filters` repeat the facet filters that `conditions` hold, for an engine that can also
    /// narrow by them inside its index.
    func candidates(for query: SearchQuery, filters: SearchFilters, conditions: SQLQueryString, limit: Int, on sql: any SQLDatabase) async throws -> [SearchCandidate]
}

enum SearchEngines {
    /// The engine of the database `sql` talks to.
    static func engine(for sql: any SQLDatabase) -> any ReleaseSearchEngine {
        sql.dialect.name == "sqlite" ? SQLiteReleaseSearch() : PostgresReleaseSearch()
    }
}

extension SearchCandidate {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: String.self),
            language: try row.decode(column: "language", as: String.self),
            releasedAt: try row.decode(column: "released_at", as: Date.self),
            publishedAt: try row.decode(column: "published_at", as: Date?.self),
            organizationSlug: try row.decode(column: "organization_slug", as: String.self),
            organizationName: try row.decode(column: "organization_name", as: String.self),
            score: try row.decode(column: "score", as: Double.self)
        )
    }
}
