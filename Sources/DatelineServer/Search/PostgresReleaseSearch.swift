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
    /// How ``candidates(for:filters:conditions:limit:on:)`` reads the matches.
    enum Plan: Sendable {
        /// Chosen by a sample of the newest releases (the server's way).
        case sampled
        /// Walking the archive in date order only (at most ``walkRows`` releases).
        case walk
        /// The GIN index only.
        case index
    }

    var plan = Plan.sampled

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

    /// PostgreSQL makes the tsquery from the bound words; a sample of the newest releases under
    /// the conditions tells how common the matches are (``sample(_:conditions:on:)``); then the
    /// newest `limit` matches are read one of two ways, ranked by `ts_rank_cd` for those rows
    /// only:
    /// - common matches: walking the archive from the newest release on the date index that
    ///   suits the filter, testing each release's vector, reading at most ``walkRows`` releases;
    /// - rare ones, or a walk that found too few: from the GIN index, sorted by date.
    ///
    /// - Throws: ``SearchTooBroad`` when the GIN plan has not answered within ``timeLimit``
    ///   (words that are each common but together match almost nothing: a phrase of common
    ///   words); the reader is told to narrow the search.
    func candidates(for query: SearchQuery, filters: SearchFilters, conditions: SQLQueryString, limit: Int, on sql: any SQLDatabase) async throws -> [SearchCandidate] {
        guard let words = try await self.tsquery(query, on: sql) else { return [] }
        var whole = false  // the sample is every release under the conditions
        var walks = plan == .walk
        if plan == .sampled, let sample = try await self.sample(words, conditions: conditions, on: sql) {
            whole = sample.releases < sampleSize
            walks = whole || Double(sample.matches) >= Self.walkShare * Double(sample.releases)
        }
        if walks {
            // The walk tests the reader's words only: the conditions are the filters. Bitmap
            // scans and sorts are off for its transaction, so the planner walks a date index.
            var walk = SQLQueryString("SELECT r.id, r.language, r.released_at, r.published_at, r.organization_id, r.search_vector FROM releases r WHERE r.search_vector IS NOT NULL")
            walk += conditions
            walk.appendInterpolation(unsafeRaw: " ORDER BY r.released_at DESC, r.published_at DESC, r.id DESC LIMIT \(walkRows)")
            var matches = SQLQueryString("SELECT w.* FROM (")
            matches += walk
            matches.appendInterpolation(unsafeRaw: ") w WHERE w.search_vector @@ ")
            matches.appendInterpolation(bind: words)
            matches.appendInterpolation(unsafeRaw: "::tsquery ORDER BY w.released_at DESC, w.published_at DESC, w.id DESC LIMIT ")
            matches.appendInterpolation(bind: limit)
            // A filter that few releases pass (a rare topic) can make the walk read most of the
            // archive to find them: after its time limit the GIN plan answers instead.
            do {
                let found = try await Self.run(Self.ranked(matches, words: words, ranked: filters.ranked), settings: Self.walkSettings, on: sql, row: SearchCandidate.init(row:))
                if found.count >= limit || whole || plan == .walk { return found }
            } catch let error as PSQLError where Self.isTimeLimit(error) && plan != .walk {}
        }
        // The facet filters as the index's filter words too (``SearchFilters/words`` and the
        // year, each after `§`, as ``put(_:on:)`` writes them without positions): the GIN
        // index intersects them with the reader's words, so a common word in a rare language or
        // year reads few rows. The order is written as an expression, which no index can serve:
        // the planner reads the matches from the GIN index and keeps the newest.
        let filterWords = (filters.words + [filters.year.map { SearchFilters.word("y", String($0)) }].compactMap { $0 }).map { "'§" + $0 + "'" }
        let tsquery = (["(" + words + ")"] + filterWords).joined(separator: " & ")
        var matches = SQLQueryString("SELECT r.id, r.language, r.released_at, r.published_at, r.organization_id, r.search_vector FROM releases r WHERE r.search_vector @@ \(bind: tsquery)::tsquery")
        matches += conditions
        matches.appendInterpolation(unsafeRaw: " ORDER BY r.released_at + interval '0 seconds' DESC, r.published_at DESC, r.id DESC LIMIT ")
        matches.appendInterpolation(bind: limit)
        do {
            return try await Self.run(Self.ranked(matches, words: words, ranked: filters.ranked), settings: Self.indexSettings, on: sql, row: SearchCandidate.init(row:))
        } catch let error as PSQLError where Self.isTimeLimit(error) {
            throw SearchTooBroad()
        }
    }

    /// `matches` (a statement that reads releases' id, language, released_at, published_at,
    /// organization_id and search_vector) with each row's organization and, when `ranked`, its
    /// `ts_rank_cd` for `words`, computed for those rows only.
    private static func ranked(_ matches: SQLQueryString, words: String, ranked: Bool) -> SQLQueryString {
        var statement = SQLQueryString("SELECT m.id, m.language, m.released_at, m.published_at, o.slug AS organization_slug, o.name AS organization_name, ")
        if ranked {
            statement.appendInterpolation(unsafeRaw: "ts_rank_cd(m.search_vector, ")
            statement.appendInterpolation(bind: words)
            statement.appendInterpolation(unsafeRaw: "::tsquery)::float8 AS score")
        } else {
            statement.appendInterpolation(unsafeRaw: "0.0::float8 AS score")
        }
        statement.appendInterpolation(unsafeRaw: " FROM (")
        statement += matches
        statement.appendInterpolation(unsafeRaw: ") m JOIN organizations o ON o.id = m.organization_id")
        return statement
    }

    /// Releases under the filters a walk reads at most: enough to meet `limit` matches at
    /// ``walkShare``. A property so that tests can make it small.
    var walkRows = 15_000
    /// Releases read to decide between the two plans.
    var sampleSize = 200
    /// How long the GIN plan may take, in milliseconds.
    static let timeLimit = 1_000
    /// How long the sample and the walk may take, in milliseconds, before the GIN plan answers.
    static let walkTimeLimit = 250
    /// Both plans without JIT compilation or parallel workers, which cost more than they save
    /// on queries of milliseconds.
    private static let commonSettings = ["jit = off", "max_parallel_workers_per_gather = 0"]
    private static let walkSettings = commonSettings + ["enable_bitmapscan = off", "enable_sort = off", "statement_timeout = \(walkTimeLimit)"]
    private static let sampleSettings = commonSettings + ["statement_timeout = \(walkTimeLimit)"]
    /// Memory enough for the GIN plan's bitmap to stay exact (a lossy one makes PostgreSQL
    /// test the vector of every release on a lossy page), and its time limit.
    private static let indexSettings = commonSettings + ["work_mem = '32MB'", "statement_timeout = \(timeLimit)"]

    /// Whether `error` is the GIN plan's time limit. PostgresNIO also reports the limit as a
    /// closed connection, when PostgreSQL's cancellation arrives after the statement completed.
    private static func isTimeLimit(_ error: PSQLError) -> Bool {
        if error.serverInfo?[.sqlState] == "57014" { return true }
        guard error.code == .clientClosedConnection || error.code == .unexpectedBackendMessage else { return false }
        return String(reflecting: error).contains("57014")
    }

    /// `statement` in a transaction of its own, under `settings` (`SET LOCAL` clauses, constants),
    /// its rows read by `row`.
    private static func run<T: Sendable>(_ statement: SQLQueryString, settings: [String], on sql: any SQLDatabase, row: @escaping @Sendable (any SQLRow) throws -> T) async throws -> [T] {
        guard let database = sql as? any Database else { return try await sql.raw(statement).all().map(row) }
        return try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            for setting in settings {
                try await sql.raw("SET LOCAL \(unsafeRaw: setting)").run()
            }
            return try await sql.raw(statement).all().map(row)
        }
    }

    /// How many of the ``sampleSize`` newest releases under `conditions` there are, and how
    /// many of them match `words` (read in date order, their vectors tested). It sees what the
    /// planner's statistics cannot: a language, an organization or a year in which the words
    /// are far more or less common than overall.
    /// Nil when the sample took longer than ``walkTimeLimit`` (filters that few releases pass):
    /// then the GIN plan is the one to ask.
    private func sample(_ words: String, conditions: SQLQueryString, on sql: any SQLDatabase) async throws -> (releases: Int, matches: Int)? {
        var sample = SQLQueryString("SELECT COUNT(*)::int8 AS n, (COUNT(*) FILTER (WHERE s.v @@ \(bind: words)::tsquery))::int8 AS m FROM (SELECT r.search_vector AS v FROM releases r WHERE r.search_vector IS NOT NULL")
        sample += conditions
        sample.appendInterpolation(unsafeRaw: " ORDER BY r.released_at DESC, r.published_at DESC, r.id DESC LIMIT \(sampleSize)) s")
        do {
            let rows = try await Self.run(sample, settings: Self.sampleSettings, on: sql) { row in
                (try row.decode(column: "n", as: Int.self), try row.decode(column: "m", as: Int.self))
            }
            return rows.first.map { (releases: $0.0, matches: $0.1) } ?? (0, 0)
        } catch let error as PSQLError where Self.isTimeLimit(error) {
            return nil
        }
    }
    /// The share of matches in the sample from which a search walks the archive in date order.
    static let walkShare = 0.04

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
