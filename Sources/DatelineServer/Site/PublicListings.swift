import DatelineCore
import Foundation
import SQLKit

/// Which releases a listing page shows.
enum ListingScope: Hashable {
    case site
    case organization(UUID)
    case topic(UUID)
    /// Releases in one language (`releases_language_listing`).
    case language(LanguageTag)
    /// Releases dated in `from..<to` (a year or a month of the archive; `releases_listing`).
    case period(from: Date, to: Date)
}

/// What a listing shows of one release: a row of `releases` with its organization's name and slug.
struct ListedRelease {
    var slug: Slug
    var headline: String
    var subheadline: String?
    var dateline: Dateline?
    var releasedAt: Date
    var timeZone: TimeZone
    var language: LanguageTag
    var updatedAt: Date
    var organizationName: String
    var organizationSlug: Slug
    /// The lead image, once ``PublicReleases/withLeadImages(_:)`` has loaded it.
    var leadImage: ReleaseMedia? = nil
}

/// One page of a listing, newest first.
struct ListingPage {
    var releases: [ListedRelease]
    /// Whether newer releases than the first shown exist (a "Newer" link).
    var hasNewer: Bool
    /// Whether older releases than the last shown exist (an "Older" link).
    var hasOlder: Bool
}

extension PublicReleases {
    /// One page of listed, lifted releases of `scope`, in the listings' order (release date,
    /// then first publication, then id, newest first), at `position`.
    ///
    /// One query of the rows joined to their organizations, `per + 1` of them to know whether an
    /// older page exists; no count. The joins are written `CROSS JOIN` so that SQLite keeps
    /// `releases` as the outer loop and reads a listing index in order (`releases_listing`,
    /// `releases_organization_listing`) instead of sorting; PostgreSQL plans it as an inner join.
    /// A topic's page walks `releases_listing` and probes each release's topics, except for a
    /// small topic (at most ``smallTopic`` releases, counted with a bound), whose releases are
    /// read by `release_topics_topic` and sorted. A numbered page finds its rows' ids by offset
    /// in the covering index first, then reads only those rows. A `before`/`after` position finds
    /// its release by slug inside the same query, among publicly readable releases only.
    /// - Returns: nil when the page does not exist: a page number out of range, a page past the
    ///   end, a position naming a slug that is not publicly readable.
    /// - Parameter smallTopic: the size up to which a topic is read from its own index (tests
    ///   set it to take either path).
    func listing(_ scope: ListingScope, at position: ListingPosition, per: Int, smallTopic: Int = Self.smallTopic) async throws -> ListingPage? {
        let sql = database as! any SQLDatabase
        var fromTopic: UUID?
        if case .topic(let id) = scope, try await topicIsSmall(id, limit: smallTopic) { fromTopic = id }

        var offset = 0
        var order = Self.newestFirst("r")
        if case .page(let number) = position {
            guard (1...Self.maximumPage).contains(number) else { return nil }
            offset = (number - 1) * per
        } else if case .after = position {
            order = " ORDER BY r.released_at ASC, r.published_at ASC, r.id ASC"
        }

        var query = SQLQueryString("SELECT r.slug, r.headline, r.subheadline, r.dateline_city, r.dateline_region, r.released_at, r.time_zone, r.language, r.updated_at, r.published_at, o.name AS organization_name, o.slug AS organization_slug FROM ")
        if let topic = fromTopic {
            query.appendInterpolation(unsafeRaw: "release_topics rt CROSS JOIN releases r CROSS JOIN organizations o WHERE rt.topic_id = ")
            query.appendInterpolation(bind: topic)
            query.appendInterpolation(unsafeRaw: " AND r.id = rt.release_id AND o.id = r.organization_id")
            appendConditions(scope: nil, position: position, alias: "r", to: &query)
            query.appendInterpolation(unsafeRaw: order)
            appendLimit(per + 1, offset: offset, to: &query)
        } else if offset > 0 {
            query.appendInterpolation(unsafeRaw: "releases r CROSS JOIN organizations o WHERE o.id = r.organization_id AND r.id IN (SELECT s.id FROM releases s WHERE 1 = 1")
            appendConditions(scope: scope, position: position, alias: "s", to: &query)
            query.appendInterpolation(unsafeRaw: Self.newestFirst("s"))
            appendLimit(per + 1, offset: offset, to: &query)
            query.appendInterpolation(unsafeRaw: ")")
            query.appendInterpolation(unsafeRaw: order)
        } else {
            query.appendInterpolation(unsafeRaw: "releases r CROSS JOIN organizations o WHERE o.id = r.organization_id")
            appendConditions(scope: scope, position: position, alias: "r", to: &query)
            query.appendInterpolation(unsafeRaw: order)
            appendLimit(per + 1, offset: 0, to: &query)
        }

        var rows = try await sql.raw(query).all().map(Self.listedRelease)
        let more = rows.count > per
        rows = Array(rows.prefix(per))
        switch position {
        case .page(let number):
            if rows.isEmpty && number > 1 { return nil }
            return ListingPage(releases: rows, hasNewer: number > 1, hasOlder: more)
        case .before:
            if rows.isEmpty { return nil }
            return ListingPage(releases: rows, hasNewer: true, hasOlder: more)
        case .after:
            // Nothing newer than a public release (the page that linked here has lost its
            // newest to a retraction): the first page is what "Newer" leads to.
            if rows.isEmpty {
                let position = try await positionIsPublic(position)
                return position ? try await listing(scope, at: .first, per: per, smallTopic: smallTopic) : nil
            }
            return ListingPage(releases: rows.reversed(), hasNewer: more, hasOlder: true)
        }
    }

    /// Whether a position's slug names a publicly readable, lifted release.
    private func positionIsPublic(_ position: ListingPosition) async throws -> Bool {
        let slug: Slug
        switch position {
        case .page: return true
        case .before(let s), .after(let s): slug = s
        }
        let sql = database as! any SQLDatabase
        var query = SQLQueryString("SELECT 1 AS found FROM releases c WHERE c.slug = \(bind: slug.rawValue)")
        appendPublic(.readable, alias: "c", to: &query)
        return try await sql.raw(query).first() != nil
    }

    /// Topics with at most this many releases are listed from their own index.
    static var smallTopic: Int { 2_000 }

    private static func newestFirst(_ a: String) -> String { " ORDER BY \(a).released_at DESC, \(a).published_at DESC, \(a).id DESC" }

    /// Whether the topic files at most ``smallTopic`` releases (any status), counted no further.
    func topicIsSmall(_ id: UUID, limit: Int = Self.smallTopic) async throws -> Bool {
        let sql = database as! any SQLDatabase
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM (SELECT 1 FROM release_topics WHERE topic_id = \(bind: id) LIMIT \(bind: limit + 1)) AS bounded").first()
        return try (row?.decode(column: "n", as: Int.self) ?? 0) <= limit
    }

    /// ` AND` the two public-read conditions, the scope and the position, on `alias`.
    private func appendConditions(scope: ListingScope?, position: ListingPosition, alias a: String, to query: inout SQLQueryString) {
        appendPublic(.listed, alias: a, to: &query)
        switch scope {
        case nil, .site?: break
        case .organization(let id)?:
            query.appendInterpolation(unsafeRaw: " AND \(a).organization_id = ")
            query.appendInterpolation(bind: id)
        case .topic(let id)?:
            query.appendInterpolation(unsafeRaw: " AND EXISTS (SELECT 1 FROM release_topics t WHERE t.release_id = \(a).id AND t.topic_id = ")
            query.appendInterpolation(bind: id)
            query.appendInterpolation(unsafeRaw: ")")
        case .language(let tag)?:
            query.appendInterpolation(unsafeRaw: " AND \(a).language = ")
            query.appendInterpolation(bind: tag.rawValue)
        case .period(let from, let to)?:
            query.appendInterpolation(unsafeRaw: " AND \(a).released_at >= ")
            query.appendInterpolation(bind: from)
            query.appendInterpolation(unsafeRaw: " AND \(a).released_at < ")
            query.appendInterpolation(bind: to)
        }
        let comparison: String
        let slug: Slug
        switch position {
        case .page: return
        case .before(let s): comparison = "<"; slug = s
        case .after(let s): comparison = ">"; slug = s
        }
        // The position's release: publicly readable and lifted, or no row matches.
        query.appendInterpolation(unsafeRaw: " AND (\(a).released_at, \(a).published_at, \(a).id) \(comparison) (SELECT c.released_at, c.published_at, c.id FROM releases c WHERE c.slug = ")
        query.appendInterpolation(bind: slug.rawValue)
        appendPublic(.readable, alias: "c", to: &query)
        query.appendInterpolation(unsafeRaw: ")")
    }

    private func appendLimit(_ limit: Int, offset: Int, to query: inout SQLQueryString) {
        query.appendInterpolation(unsafeRaw: " LIMIT ")
        query.appendInterpolation(bind: limit)
        if offset > 0 {
            query.appendInterpolation(unsafeRaw: " OFFSET ")
            query.appendInterpolation(bind: offset)
        }
    }

    private static func listedRelease(_ row: any SQLRow) throws -> ListedRelease {
        let headline = try row.decode(column: "headline", as: String.self)
        let slug = try row.decode(column: "slug", as: String.self)
        let organizationSlug = try row.decode(column: "organization_slug", as: String.self)
        let releasedAt = try row.decode(column: "released_at", as: Date.self)
        return ListedRelease(
            slug: Slug(validating: slug) ?? Slug(making: headline) ?? Slug(making: "release")!,
            headline: headline,
            subheadline: try row.decode(column: "subheadline", as: String?.self),
            dateline: try row.decode(column: "dateline_city", as: String?.self).map {
                Dateline(city: $0, region: try row.decode(column: "dateline_region", as: String?.self))
            },
            releasedAt: releasedAt,
            timeZone: TimeZone(identifier: try row.decode(column: "time_zone", as: String.self)) ?? TimeZone(identifier: "UTC")!,
            language: LanguageTag(try row.decode(column: "language", as: String.self)) ?? .english,
            updatedAt: try row.decode(column: "updated_at", as: Date?.self)
                ?? row.decode(column: "published_at", as: Date?.self) ?? releasedAt,
            organizationName: try row.decode(column: "organization_name", as: String.self),
            organizationSlug: Slug(validating: organizationSlug) ?? Slug(making: "organization")!
        )
    }
}
