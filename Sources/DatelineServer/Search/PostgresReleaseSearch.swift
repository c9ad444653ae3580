import Foundation
import FluentKit
import PostgresKit
import SQLKit

/// Search on PostgreSQL: a stored `tsvector` per listed release (`releases.search_vector`:
/// headline weight A, subheadline B, body D; null when not listed) under a GIN index, built with
/// the text search configuration of the release's language. Dateline's configurations
/// (`dateline_german`, …, made by ``CreateReleaseSearch``) are the shipped Snowball stemmers
/// without stop words, so every word typed is a word found; languages without a stemmer
/// (Persian among them) use `simple`. Text is folded before PostgreSQL reads it
/// (``SearchText``), which does what `unaccent` would, on any server.
///
/// A query word is stemmed by every configuration and the forms joined by OR, so "Häuser"
/// finds a German release that says "Haus" whatever the reader's language; the tsquery is made
/// by PostgreSQL from bound words (`phraseto_tsquery`), never from text the reader typed.
struct PostgresReleaseSearch: ReleaseSearchEngine {
    /// Text search configuration names by BCP 47 primary language subtag: the Snowball
    /// stemmers PostgreSQL ships (a server without one of them indexes that language with `simple`).
    static let configurations: [String: String] = [
        "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch",
        "en": "english", "et": "estonian", "fi": "finnish", "fr": "french", "de": "german", "el": "greek",
        "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
        "ne": "nepali", "nb": "norwegian", "nn": "norwegian", "no": "norwegian", "pt": "portuguese",
        "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil",
        "tr": "turkish", "yi": "yiddish",
    ]

    /// Dateline's configuration for a language tag (`dateline_german`), or `simple`.
    static func configuration(for language: String) -> String {
        let primary = language.split(separator: "-").first.map { $0.lowercased() } ?? ""
        return configurations[primary].map { "dateline_\($0)" } ?? "simple"
    }

    /// Every configuration a query word is stemmed by, as an SQL array of names (constants).
    static let queryConfigurations = "ARRAY['simple', " + Set(configurations.values).sorted().map { "'dateline_\($0)'" }.joined(separator: ", ") + "]"

    func put(_ documents: [SearchDocument], on sql: any SQLDatabase) async throws {
        guard !documents.isEmpty else { return }
        var statement = SQLQueryString("""
            UPDATE releases AS r SET search_vector = setweight(to_tsvector(c.config, v.headline), 'A') \
            || setweight(to_tsvector(c.config, v.subheadline), 'B') || setweight(to_tsvector(c.config, v.body), 'D') \
            || array_to_tsvector(ARRAY['§l' || lower(replace(r.language, '-', '')), \
            '§o' || (SELECT replace(o.slug, '-', '') FROM organizations o WHERE o.id = r.organization_id), \
            '§y' || to_char(r.released_at AT TIME ZONE 'UTC', 'YYYY')] \
            || COALESCE((SELECT array_agg('§t' || replace(t.slug, '-', '')) FROM release_topics rt JOIN topics t ON t.id = rt.topic_id WHERE rt.release_id = r.id), ARRAY[]::text[])) \
            FROM (VALUES 
            """)
        for (number, document) in documents.enumerated() {
            // Words only, as the query has them: PostgreSQL's parser would otherwise read a
            // hyphenated or dotted run ("leak-3f2e", "-0305e82") as other tokens than the same
            // words typed with spaces, and a phrase of them would not match.
            let indexed = document.indexedFields
            let fields = (headline: Self.words(indexed.headline), subheadline: Self.words(indexed.subheadline), body: Self.words(indexed.body))
            statement.appendInterpolation(unsafeRaw: number == 0 ? "(" : ", (")
            statement.appendInterpolation(bind: document.id)
            statement.appendInterpolation(unsafeRaw: "::text, ")
            statement.appendInterpolation(bind: Self.configuration(for: document.language))
            statement.appendInterpolation(unsafeRaw: "::text, ")
            statement.appendInterpolation(bind: fields.headline)
            statement.appendInterpolation(unsafeRaw: "::text, ")
            statement.appendInterpolation(bind: fields.subheadline)
            statement.appendInterpolation(unsafeRaw: "::text, ")
            statement.appendInterpolation(bind: fields.body)
            statement.appendInterpolation(unsafeRaw: "::text)")
        }
        statement.appendInterpolation(unsafeRaw: """
            ) AS v(id, config, headline, subheadline, body) \
            CROSS JOIN LATERAL (SELECT COALESCE((SELECT t.oid::regconfig FROM pg_ts_config t WHERE t.cfgname = v.config LIMIT 1), 'simple'::regconfig) AS config) c WHERE r.id = v.id
            """)
        try await sql.raw(statement).run()
    }

    private static func words(_ folded: String) -> String {
        SearchText.words(folded).joined(separator: " ")
    }

    func remove(ids: [String], on sql: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        try await sql.raw("UPDATE releases SET search_vector = NULL WHERE id IN (\(binds: ids)) AND search_vector IS NOT NULL").run()
    }

    /// Three statements: PostgreSQL makes the tsquery from the bound words, estimates how many
    /// releases match it (its planner's statistics, ``walksInDateOrder(_:conditions:on:)``), then
    /// reads the newest matches, ranked by `ts_rank_cd`. A query that matches a large share of
    /// the archive walks `releases_listing` from the newest release and stops at `limit`; any
    /// other is read from the GIN index and sorted, so a rare word never walks the archive.
    func candidates(for query: SearchQuery, filters: SearchFilters, conditions: SQLQueryString, limit: Int, on sql: any SQLDatabase) async throws -> [SearchCandidate] {
        guard let words = try await self.tsquery(query, on: sql) else { return [] }
        // The facet filters as the index's filter words too (``SearchFilters/words`` and the
        // year, each after `§`, as ``put(_:on:)`` writes them without positions): the GIN
        // index intersects them with the reader's words, so a common word in a rare language or
        // year reads few rows. Ranking reads the reader's words only.
        let filterWords = (filters.words + [filters.year.map { SearchFilters.word("y", String($0)) }].compactMap { $0 }).map { "'§" + $0 + "'" }
        let tsquery = (["(" + words + ")"] + filterWords).joined(separator: " & ")
        let walk = try await walksInDateOrder(tsquery, conditions: conditions, on: sql)
        var statement = SQLQueryString("SELECT r.id, r.language, r.released_at, r.published_at, o.slug AS organization_slug, o.name AS organization_name, ")
        if filters.ranked {
            statement.appendInterpolation(unsafeRaw: "ts_rank_cd(r.search_vector, ")
            statement.appendInterpolation(bind: words)
            statement.appendInterpolation(unsafeRaw: "::tsquery)::float8 AS score")
        } else {
            statement.appendInterpolation(unsafeRaw: "0.0::float8 AS score")
        }
        statement += SQLQueryString("""
             \
            FROM releases r JOIN organizations o ON o.id = r.organization_id \
            WHERE r.search_vector @@ \(bind: tsquery)::tsquery
            """)
        statement += conditions
        // The plan the estimate chose is tried first, for a short while; the other plan then
        // has longer. A query that neither answers in time (a common word that matches almost
        // nothing, so both read most of the archive) is too broad to answer: the reader is told
        // to narrow it, and the server stays free for everyone else.
        for (attempt, walkInDateOrder) in [walk, !walk].enumerated() {
            var ordered = statement
            // The same order either way; written as an expression, no index can serve it, so
            // the planner reads the matches from the GIN index and keeps the newest.
            ordered.appendInterpolation(unsafeRaw: walkInDateOrder
                ? " ORDER BY r.released_at DESC, r.published_at DESC, r.id DESC LIMIT "
                : " ORDER BY r.released_at + interval '0 seconds' DESC, r.published_at DESC, r.id DESC LIMIT ")
            ordered.appendInterpolation(bind: limit)
            do {
                return try await Self.run(ordered, milliseconds: Self.timeLimits[attempt], on: sql)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "57014" {
                continue  // query_canceled: the time limit
            }
        }
        throw SearchTooBroad()
    }

    /// How long each of the two plans may take, in milliseconds.
    static let timeLimits = [80, 1_000]

    /// `statement` in a transaction of its own, cancelled by PostgreSQL after `milliseconds`.
    private static func run(_ statement: SQLQueryString, milliseconds: Int, on sql: any SQLDatabase) async throws -> [SearchCandidate] {
        guard let database = sql as? any Database else { return try await sql.raw(statement).all().map(SearchCandidate.init(row:)) }
        return try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            try await sql.raw("SET LOCAL statement_timeout = \(unsafeRaw: String(milliseconds))").run()
            return try await sql.raw(statement).all().map(SearchCandidate.init(row:))
        }
    }

    /// Whether the planner expects more than ``walkShare`` of the releases to match: then the
    /// newest `limit` matches are met soon in release-date order. The estimate comes from
    /// `EXPLAIN` (the tsvector column's statistics), without running the query.
    private func walksInDateOrder(_ tsquery: String, conditions: SQLQueryString, on sql: any SQLDatabase) async throws -> Bool {
        var explain = SQLQueryString("EXPLAIN SELECT 1 FROM releases r WHERE r.search_vector @@ \(bind: tsquery)::tsquery")
        explain += conditions
        guard let plan = try await sql.raw(explain).first()?.decode(column: "QUERY PLAN", as: String.self),
              let rows = plan.firstMatch(of: /rows=(\d+)/).flatMap({ Double($0.1) }),
              let total = try await sql.raw("SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'releases'::regclass").first()?.decode(column: "n", as: Double.self),
              total > 0
        else { return false }
        return rows / total > Self.walkShare
    }

    /// The share of releases above which a search walks the archive in date order.
    static let walkShare = 0.05

    /// The query as tsquery text, made by PostgreSQL: each term stemmed by every configuration
    /// (`phraseto_tsquery`, so a phrase keeps its order), forms joined by `|`, groups by `&`,
    /// exclusions by `& !`. Nil when nothing can match.
    func tsquery(_ query: SearchQuery, on sql: any SQLDatabase) async throws -> String? {
        func term(_ term: SearchQuery.Term, into statement: inout SQLQueryString) {
            statement.appendInterpolation(unsafeRaw: "COALESCE((SELECT string_agg(DISTINCT '(' || x.q::text || ')', ' | ')::tsquery FROM (SELECT phraseto_tsquery(t.oid::regconfig, ")
            statement.appendInterpolation(bind: term.words.joined(separator: " "))
            statement.appendInterpolation(unsafeRaw: ") AS q FROM pg_ts_config t WHERE t.cfgname = ANY(\(Self.queryConfigurations))) x WHERE numnode(x.q) > 0), ''::tsquery)")
        }
        var statement = SQLQueryString("SELECT (")
        for (number, group) in query.groups.enumerated() {
            statement.appendInterpolation(unsafeRaw: number == 0 ? "(" : " && (")
            for (index, alternative) in group.enumerated() {
                if index > 0 { statement.appendInterpolation(unsafeRaw: " || ") }
                term(alternative, into: &statement)
            }
            statement.appendInterpolation(unsafeRaw: ")")
        }
        for excluded in query.excluded {
            statement.appendInterpolation(unsafeRaw: " && !!")
            term(excluded, into: &statement)
        }
        statement.appendInterpolation(unsafeRaw: ")::text AS q")
        let text = try await sql.raw(statement).first()?.decode(column: "q", as: String?.self)
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
