import DatelineCore
import Foundation
import SQLKit

/// A count of results a facet value leads to.
struct FacetCount: Equatable, Sendable {
    /// The parameter's value: an organization's or topic's slug, a language tag, a year.
    var value: String
    var label: String
    var count: Int
}

/// The four facets of a search's results.
struct SearchFacets: Equatable, Sendable {
    var organizations: [FacetCount] = []
    var topics: [FacetCount] = []
    var languages: [FacetCount] = []
    var years: [FacetCount] = []
}

/// One result as shown.
struct SearchHit: Sendable {
    var slug: Slug
    var headline: String
    var subheadline: String?
    var organizationName: String
    var organizationSlug: Slug
    var releasedAt: Date
    var timeZone: TimeZone
    var language: LanguageTag
    var snippet: SearchSnippet
}

/// One page of a search's results, with the facets of all of them.
struct SearchResults: Sendable {
    var query: SearchQuery
    var hits: [SearchHit]
    /// Results in all; at least this many when ``isCapped``.
    var total: Int
    /// More than ``ReleaseSearch/candidateLimit`` releases matched: the newest that many are
    /// ordered and counted, facet counts count among them.
    var isCapped: Bool
    /// The engine gave up in the time it allows (``SearchTooBroad``): nothing is shown, and the
    /// reader is asked to narrow the search.
    var isTooBroad = false
    var page: Int
    var pageCount: Int
    var facets: SearchFacets
}

/// Full-text search of listed releases: one interface over the two engines
/// (``ReleaseSearchEngine``), part of the public read path. It reads only what
/// ``PublicReleases`` lists (its conditions: a listed status and a lifted embargo, at `now`),
/// through an index that holds listed releases only.
///
/// A search asks its engine for at most ``candidateLimit`` matching releases (one indexed query
/// with a `LIMIT`); facets are counted, results ordered and paged among those, and only the
/// shown rows' text is read, for their snippets. Below the limit every count is exact: a facet
/// value's count is the number of results its link leads to.
struct ReleaseSearch {
    let releases: PublicReleases
    /// The engine to ask; nil for the database's own (``SearchEngines/engine(for:)``).
    var engine: (any ReleaseSearchEngine)? = nil

    /// Matching releases counted and ordered at most.
    static let candidateLimit = 300
    /// Values shown per facet, the most frequent first.
    static let facetValues = 12

    /// - Returns: nil for an empty query (no word to look for).
    func search(_ parameters: SearchParameters, per: Int) async throws -> SearchResults? {
        let query = SearchQuery(parsing: parameters.q)
        guard !query.isEmpty else { return nil }
        let sql = releases.database as! any SQLDatabase
        var conditions = SQLQueryString("")
        releases.appendPublic(.listed, alias: "r", to: &conditions)
        if let organization = parameters.organization {
            conditions.appendInterpolation(unsafeRaw: " AND r.organization_id = (SELECT fo.id FROM organizations fo WHERE fo.slug = ")
            conditions.appendInterpolation(bind: organization.rawValue)
            conditions.appendInterpolation(unsafeRaw: ")")
        }
        if let topic = parameters.topic {
            conditions.appendInterpolation(unsafeRaw: " AND EXISTS (SELECT 1 FROM release_topics ft JOIN topics ftt ON ftt.id = ft.topic_id WHERE ft.release_id = r.id AND ftt.slug = ")
            conditions.appendInterpolation(bind: topic.rawValue)
            conditions.appendInterpolation(unsafeRaw: ")")
        }
        if let language = parameters.language {
            conditions.appendInterpolation(unsafeRaw: " AND r.language = ")
            conditions.appendInterpolation(bind: language.rawValue)
        }
        if let year = parameters.year, let period = ArchiveCalendar.period(year: year) {
            conditions.appendInterpolation(unsafeRaw: " AND r.released_at >= ")
            conditions.appendInterpolation(bind: period.from)
            conditions.appendInterpolation(unsafeRaw: " AND r.released_at < ")
            conditions.appendInterpolation(bind: period.to)
        }

        let filters = SearchFilters(ranked: parameters.sort == .relevance, language: parameters.language, organization: parameters.organization, topic: parameters.topic, year: parameters.year)
        var candidates: [SearchCandidate]
        do {
            candidates = try await (engine ?? SearchEngines.engine(for: sql)).candidates(for: query, filters: filters, conditions: conditions, limit: Self.candidateLimit + 1, on: sql)
        } catch is SearchTooBroad {
            return SearchResults(query: query, hits: [], total: 0, isCapped: false, isTooBroad: true, page: 1, pageCount: 1, facets: SearchFacets())
        }
        let isCapped = candidates.count > Self.candidateLimit
        candidates = Array(candidates.prefix(Self.candidateLimit))
        let topics = try await topicsOf(candidates.map(\.id), on: sql)
        let facets = Self.facets(candidates, topics: topics)

        switch parameters.sort {
        case .relevance:
            candidates.sort { ($0.score, $0.releasedAt, $0.id) > ($1.score, $1.releasedAt, $1.id) }
        case .newest:
            candidates.sort { ($0.releasedAt, $0.publishedAt ?? $0.releasedAt, $0.id) > ($1.releasedAt, $1.publishedAt ?? $1.releasedAt, $1.id) }
        }
        let pageCount = max(1, (candidates.count + per - 1) / per)
        // A page past the last (an old link, a typed number) shows the last.
        let page = min(parameters.page, pageCount)
        let start = (page - 1) * per
        let shown = start < candidates.count ? Array(candidates[start..<min(start + per, candidates.count)]) : []
        let hits = try await self.hits(shown.map(\.id), query: query, on: sql)
        return SearchResults(query: query, hits: hits, total: candidates.count, isCapped: isCapped, page: page, pageCount: pageCount, facets: facets)
    }

    static func year(of date: Date) -> Int {
        ArchiveCalendar.utc.component(.year, from: date)
    }

    /// Facet counts among `candidates`, the most frequent first (then by label), at most
    /// ``facetValues`` each; years newest first.
    static func facets(_ candidates: [SearchCandidate], topics: [String: [(slug: String, name: String)]]) -> SearchFacets {
        func counted(_ values: [(value: String, label: String)]) -> [FacetCount] {
            var counts: [String: FacetCount] = [:]
            for item in values { counts[item.value, default: FacetCount(value: item.value, label: item.label, count: 0)].count += 1 }
            return Array(counts.values.sorted { ($1.count, $0.label) < ($0.count, $1.label) }.prefix(facetValues))
        }
        var facets = SearchFacets()
        facets.organizations = counted(candidates.map { ($0.organizationSlug, $0.organizationName) })
        facets.topics = counted(candidates.flatMap { topics[$0.id] ?? [] }.map { ($0.slug, $0.name) })
        facets.languages = counted(candidates.map { ($0.language, languageName($0.language)) })
        var years: [Int: Int] = [:]
        for candidate in candidates { years[year(of: candidate.releasedAt), default: 0] += 1 }
        facets.years = years.sorted { $0.key > $1.key }.prefix(facetValues).map { FacetCount(value: String($0.key), label: String($0.key), count: $0.value) }
        return facets
    }

    /// A language's name in English ("French"), or its tag.
    static func languageName(_ tag: String) -> String {
        LanguageTag(tag).map(LanguageNames.english) ?? tag
    }

    /// The topics of these releases, by release id; one query per 500 ids.
    private func topicsOf(_ ids: [String], on sql: any SQLDatabase) async throws -> [String: [(slug: String, name: String)]] {
        var topics: [String: [(slug: String, name: String)]] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let rows = try await sql.raw("""
                SELECT rt.release_id, t.slug, t.name FROM release_topics rt JOIN topics t ON t.id = rt.topic_id WHERE rt.release_id IN (\(binds: chunk))
                """).all()
            for row in rows {
                topics[try row.decode(column: "release_id", as: String.self), default: []]
                    .append((try row.decode(column: "slug", as: String.self), try row.decode(column: "name", as: String.self)))
            }
        }
        return topics
    }

    /// The shown releases, in the order of `ids`, read again under the public conditions, with
    /// their snippets.
    private func hits(_ ids: [String], query: SearchQuery, on sql: any SQLDatabase) async throws -> [SearchHit] {
        guard !ids.isEmpty else { return [] }
        var statement = SQLQueryString("""
            SELECT r.id, r.slug, r.headline, r.subheadline, r.body, r.language, r.released_at, r.time_zone, o.name AS organization_name, \
            o.slug AS organization_slug FROM releases r JOIN organizations o ON o.id = r.organization_id WHERE r.id IN (\(binds: ids))
            """)
        releases.appendPublic(.listed, alias: "r", to: &statement)
        var byID: [String: SearchHit] = [:]
        for row in try await sql.raw(statement).all() {
            let headline = try row.decode(column: "headline", as: String.self)
            guard let slug = Slug(validating: try row.decode(column: "slug", as: String.self)) else { continue }
            byID[try row.decode(column: "id", as: String.self)] = SearchHit(
                slug: slug,
                headline: headline,
                subheadline: try row.decode(column: "subheadline", as: String?.self),
                organizationName: try row.decode(column: "organization_name", as: String.self),
                organizationSlug: Slug(validating: try row.decode(column: "organization_slug", as: String.self)) ?? Slug(making: "organization")!,
                releasedAt: try row.decode(column: "released_at", as: Date.self),
                timeZone: TimeZone(identifier: try row.decode(column: "time_zone", as: String.self)) ?? TimeZone(identifier: "UTC")!,
                language: LanguageTag(try row.decode(column: "language", as: String.self)) ?? .english,
                snippet: SearchSnippet(text: SearchText.plain(markdown: try row.decode(column: "body", as: String.self)), terms: query.positiveTerms)
            )
        }
        return ids.compactMap { byID[$0] }
    }
}
