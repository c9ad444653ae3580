import DatelineCore
import FluentKit
import FluentSQL
import SQLKit
import Foundation

/// The one public read path: every reader-facing surface (pages, feeds, and later search,
/// sitemaps and API reads) gets releases from here and from nowhere else.
///
/// Two independent conditions keep unpublished text out: the status must be publicly readable,
/// and an embargo, if any, must have lifted. A release that slips through one still meets the other.
/// Which releases a feed covers.
enum FeedScope: Hashable {
    case site
    case organization(UUID)
    case topic(UUID)
    case language(LanguageTag)
}

struct PublicReleases {
    let database: any Database
    let now: Date

    /// The publicly readable release with this slug, retracted ones included (they keep their
    /// URL), with its media.
    func release(slug: Slug) async throws -> Release? {
        try await wholeReleases(.readable, where: "r.slug = \(bind: slug.rawValue)", " LIMIT 1").first
    }

    /// What a feed or agency list carries: publicly readable releases of one scope, most
    /// recently changed first — so a release published today with an old date, a correction and
    /// a retraction (with its notice) all reach subscribers — with their media.
    ///
    /// `before` starts after the publicly readable, lifted release with that slug in this order
    /// (a range of `releases_feed`, as cheap at any depth); a slug that names none gives nothing.
    func forFeed(_ scope: FeedScope, limit: Int, offset: Int = 0, before: Slug? = nil) async throws -> [Release] {
        var conditions: [SQLQueryString] = []
        var fromTopic = false
        if let before {
            var position = SQLQueryString("(r.updated_at, r.id) < (SELECT c.updated_at, c.id FROM releases c WHERE c.slug = \(bind: before.rawValue)")
            appendPublic(.readable, alias: "c", to: &position)
            conditions.append(position + ")")
        }
        switch scope {
        case .site: break
        case .organization(let id): conditions.append("r.organization_id = \(bind: id)")
        case .topic(let id):
            // A small topic's releases are read by `release_topics_topic` and sorted; a large
            // one's by walking `releases_feed` in order and probing each release's topics.
            if try await topicIsSmall(id) {
                fromTopic = true
                conditions.append("rt.topic_id = \(bind: id)")
            } else {
                conditions.append("EXISTS (SELECT 1 FROM release_topics t WHERE t.release_id = r.id AND t.topic_id = \(bind: id))")
            }
        case .language(let tag): conditions.append("r.language = \(bind: tag.rawValue)")
        }
        // Both descending, so `releases_feed` serves the order: SQLite reads an index in one
        // direction only, and a mixed order would sort every readable release.
        var order: SQLQueryString = " ORDER BY r.updated_at DESC, r.id DESC LIMIT \(bind: limit)"
        if offset > 0 { order += " OFFSET \(bind: offset)" }
        return try await wholeReleases(.readable, fromTopic: fromTopic, where: conditions.isEmpty ? nil : conditions.joined(separator: " AND "), order)
    }

    /// Listed releases with these ids, with their media, for mail: an alert or digest names only
    /// what a reader could read on the site at `now`.
    func listed(ids: [ReleaseID]) async throws -> [Release] {
        guard !ids.isEmpty else { return [] }
        return try await wholeReleases(.listed, where: "r.id IN (\(binds: ids.map(\.rawValue)))")
    }

    /// Listed releases first published in `start..<end`, newest first (the daily digest).
    func published(from start: Date, to end: Date) async throws -> [Release] {
        try await wholeReleases(.listed, where: "r.published_at >= \(bind: start) AND r.published_at < \(bind: end)", " ORDER BY r.published_at DESC LIMIT 500")
    }

    /// What a news sitemap names of a release.
    struct NewsEntry {
        var slug: Slug
        var headline: String
        var language: LanguageTag
        var publishedAt: Date
    }

    /// Listed releases first published at or after `since`, newest first, at most 1,000 (news
    /// sitemaps' limit); the four columns the sitemap shows, read through `releases_published`.
    func published(since: Date) async throws -> [NewsEntry] {
        let sql = database as! any SQLDatabase
        let statuses = ReleaseStatus.listed.map(\.rawValue)
        return try await sql.raw("""
            SELECT slug, headline, language, published_at FROM releases WHERE published_at >= \(bind: since) \
            AND status IN (\(binds: statuses)) AND (embargo_until IS NULL OR embargo_until <= \(bind: now)) \
            ORDER BY published_at DESC, id DESC LIMIT 1000
            """).all()
            .compactMap { row in
                guard let slug = Slug(validating: try row.decode(column: "slug", as: String.self)) else { return nil }
                return NewsEntry(
                    slug: slug,
                    headline: try row.decode(column: "headline", as: String.self),
                    language: LanguageTag(try row.decode(column: "language", as: String.self)) ?? .english,
                    publishedAt: try row.decode(column: "published_at", as: Date.self)
                )
            }
    }

    /// Organizations and topics that have a listed release, for sitemaps, by slug.
    func organizationsAndTopicsWithReleases() async throws -> (organizations: [Slug], topics: [Slug]) {
        let organizations = try await listedOrganizations().compactMap { Slug(validating: $0.slug) }
        let topics = try await listedTopics().compactMap { Slug(validating: $0.slug) }
        return (organizations.sorted { $0.rawValue < $1.rawValue }, topics.sorted { $0.rawValue < $1.rawValue })
    }

    /// What a subscriber can choose to follow: organizations and topics with a listed release
    /// (slug and name, by name) and the languages of listed releases. Aggregate queries: no
    /// release is loaded.
    func followable() async throws -> (organizations: [(slug: String, name: String)], topics: [(slug: String, name: String)], languages: [String]) {
        func byName(_ items: [(slug: String, name: String)]) -> [(slug: String, name: String)] {
            items.sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
        }
        return (byName(try await listedOrganizations()), byName(try await listedTopics()), try await listedLanguages().sorted())
    }

    /// Organizations with a listed release: slug and name. One probe of an index per
    /// organization (`releases_organization_listing`), not a scan of the releases.
    private func listedOrganizations() async throws -> [(slug: String, name: String)] {
        let sql = database as! any SQLDatabase
        var query = SQLQueryString("SELECT o.slug, o.name FROM organizations o WHERE EXISTS (SELECT 1 FROM releases r WHERE r.organization_id = o.id")
        appendPublic(.listed, alias: "r", to: &query)
        query.appendInterpolation(unsafeRaw: ")")
        return try await sql.raw(query).all()
            .map { (try $0.decode(column: "slug", as: String.self), try $0.decode(column: "name", as: String.self)) }
    }

    /// Topics a listed release is filed under: slug and name, one index probe per topic.
    func listedTopics() async throws -> [(slug: String, name: String)] {
        let sql = database as! any SQLDatabase
        var query = SQLQueryString("SELECT t.slug, t.name FROM topics t WHERE EXISTS (SELECT 1 FROM release_topics rt JOIN releases r ON r.id = rt.release_id WHERE rt.topic_id = t.id")
        appendPublic(.listed, alias: "r", to: &query)
        query.appendInterpolation(unsafeRaw: ")")
        return try await sql.raw(query).all()
            .map { (try $0.decode(column: "slug", as: String.self), try $0.decode(column: "name", as: String.self)) }
    }

    /// Languages of listed releases. The distinct languages of all releases are found by
    /// skipping through `releases_language_feed` (one probe per language, a recursive query),
    /// then each is kept if a listed, lifted release has it: no scan of the releases.
    func listedLanguages() async throws -> [String] {
        let sql = database as! any SQLDatabase
        var query = SQLQueryString("""
            WITH RECURSIVE languages(language) AS (SELECT MIN(language) FROM releases \
            UNION ALL SELECT (SELECT MIN(r.language) FROM releases r WHERE r.language > languages.language) \
            FROM languages WHERE languages.language IS NOT NULL) \
            SELECT language FROM languages WHERE language IS NOT NULL AND EXISTS (SELECT 1 FROM releases r \
            WHERE r.language = languages.language
            """)
        appendPublic(.listed, alias: "r", to: &query)
        query.appendInterpolation(unsafeRaw: ")")
        return try await sql.raw(query).all()
            .map { try $0.decode(column: "language", as: String.self) }
    }

    /// The organization with this slug, only when it has a listed release: an organization
    /// known only from drafts or embargoed releases is as absent as one that does not exist.
    ///
    /// One query whatever the answer (a listed release joined to its organization), so that
    /// neither the answer nor its timing tells a hidden organization from a missing one.
    func organization(slug: Slug) async throws -> OrganizationModel? {
        let row = try await listedRows()
            .join(OrganizationModel.self, on: \ReleaseModel.$organization.$id == \OrganizationModel.$id)
            .filter(OrganizationModel.self, \.$slug == slug.rawValue)
            .field(\.$id)
            .fields(for: OrganizationModel.self)
            .first()
        return try row?.joined(OrganizationModel.self)
    }

    /// The topic with this slug, only when a listed release is filed under it; one query
    /// whatever the answer, as for ``organization(slug:)``.
    func topic(slug: Slug) async throws -> TopicModel? {
        let row = try await listedRows()
            .join(ReleaseTopicModel.self, on: \ReleaseModel.$id == \ReleaseTopicModel.$release.$id)
            .join(TopicModel.self, on: \ReleaseTopicModel.$topic.$id == \TopicModel.$id)
            .filter(TopicModel.self, \.$slug == slug.rawValue)
            .field(\.$id)
            .fields(for: TopicModel.self)
            .first()
        return try row?.joined(TopicModel.self)
    }

    /// An organization's media contacts named on its listed releases (never one known only from
    /// a draft), by name; one query.
    func contacts(organizationID: UUID) async throws -> [MediaContactModel] {
        let rows = try await listedRows()
            .filter(\.$organization.$id == organizationID)
            .join(ReleaseContactModel.self, on: \ReleaseModel.$id == \ReleaseContactModel.$release.$id)
            .join(MediaContactModel.self, on: \ReleaseContactModel.$contact.$id == \MediaContactModel.$id)
            .field(\.$id)
            .fields(for: MediaContactModel.self)
            .all()
        var seen = Set<UUID>()
        return try rows.map { try $0.joined(MediaContactModel.self) }
            .filter { contact in contact.id.map { seen.insert($0).inserted } ?? false }
            .sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
    }

    /// ` AND` the two public-read conditions on `alias`: a status of `visibility`, and an
    /// embargo, if any, lifted at `now`.
    func appendPublic(_ visibility: Visibility, alias a: String, to query: inout SQLQueryString) {
        query.appendInterpolation(unsafeRaw: " AND \(a).status IN (")
        query.appendInterpolation(binds: visibility.statuses.map(\.rawValue))
        query.appendInterpolation(unsafeRaw: ") AND (\(a).embargo_until IS NULL OR \(a).embargo_until <= ")
        query.appendInterpolation(bind: now)
        query.appendInterpolation(unsafeRaw: ")")
    }

    /// Listed, lifted releases with nothing loaded beside them, for joins that read other tables.
    private func listedRows() -> QueryBuilder<ReleaseModel> {
        lifted(ReleaseModel.query(on: database).filter(\.$status ~~ ReleaseStatus.listed.map(\.rawValue)))
    }

    /// Only releases whose embargo, if any, has lifted.
    private func lifted(_ query: QueryBuilder<ReleaseModel>) -> QueryBuilder<ReleaseModel> {
        query.group(.or) { lifted in
            lifted.filter(\.$embargoUntil == nil).filter(\.$embargoUntil <= now)
        }
    }

    /// The highest page number asked of the database; beyond it FluentKit's offset arithmetic
    /// would overflow. No listing here comes near it.
    static let maximumPage = 100_000
}
