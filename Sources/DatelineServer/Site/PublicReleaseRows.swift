import DatelineCore
import Foundation
import SQLKit

/// Whole releases (organization, contacts, topics, corrections, media and renditions) read in
/// two SQL statements whatever their number: the rows joined to their organizations, then every
/// part of them in one `UNION ALL`. Columns are read by name, with no model reflection, so that an
/// uncached release page or feed costs two round trips to the database.
extension PublicReleases {
    /// Which statuses a read may return; both also require a lifted embargo.
    enum Visibility {
        /// Published and corrected releases, and retracted ones with their notice (pages, formats).
        case readable
        /// Published and corrected releases only (listings, mail).
        case listed

        var statuses: [ReleaseStatus] { self == .readable ? ReleaseStatus.publiclyReadable : ReleaseStatus.listed }
    }

    /// Releases of `visibility` whose embargo, if any, has lifted and that meet `filter` (an SQL
    /// condition on alias `r`, kept in parentheses), then `order` (ORDER BY, LIMIT, OFFSET).
    /// - Parameter fromTopic: reads the rows through `release_topics rt` (alias `rt`), for a
    ///   small topic's releases; the filter then names `rt.topic_id`.
    func wholeReleases(_ visibility: Visibility, fromTopic: Bool = false, where filter: SQLQueryString? = nil, _ order: SQLQueryString = "") async throws -> [Release] {
        let sql = database as! any SQLDatabase
        var query = SQLQueryString("")
        query.appendInterpolation(unsafeRaw: Self.releaseColumns)
        query.appendInterpolation(unsafeRaw: fromTopic ? " FROM release_topics rt CROSS JOIN releases r CROSS JOIN organizations o WHERE r.id = rt.release_id AND " : " FROM releases r CROSS JOIN organizations o WHERE ")
        query.appendInterpolation(unsafeRaw: "o.id = r.organization_id")
        appendPublic(visibility, alias: "r", to: &query)
        if let filter {
            query.appendInterpolation(unsafeRaw: " AND (")
            query += filter
            query.appendInterpolation(unsafeRaw: ")")
        }
        query += order
        let rows = try await sql.raw(query).all()
        guard !rows.isEmpty else { return [] }
        // The ids as stored: the parts are matched to them as text.
        let ids = try rows.map { try $0.decode(column: "id", as: String.self) }
        var parts = ReleaseParts()
        // Each id is bound once per branch of the parts query; batches stay far below the
        // databases' limits on parameters (SQLite 32,766; PostgreSQL 65,535).
        for start in stride(from: 0, to: ids.count, by: Self.partsBatch) {
            let batch = Array(ids[start..<min(ids.count, start + Self.partsBatch)])
            try parts.add(try await sql.raw(Self.partsQuery(batch)).all())
        }
        return try zip(rows, ids).map { row, id in
            var release = try Self.release(from: row)
            parts.fill(&release, id: id)
            return release
        }
    }

    private static let partsBatch = 1_000

    private static let releaseColumns = """
        SELECT r.id, r.slug, r.headline, r.subheadline, r.timing, r.embargo_until, r.dateline_city, r.dateline_region, \
        r.released_at, r.time_zone, r.body, r.language, r.statement_url, r.status, r.version, r.published_at, \
        r.retraction_note, r.updated_at, o.name AS o_name, o.slug AS o_slug, o.boilerplate AS o_boilerplate, \
        o.website AS o_website, o.mastodon AS o_mastodon, o.bluesky AS o_bluesky, o.x AS o_x, \
        o.facebook AS o_facebook, o.linkedin AS o_linkedin
        """

    private static func release(from row: any SQLRow) throws -> Release {
        let headline = try row.decode(column: "headline", as: String.self)
        let releasedAt = try row.decode(column: "released_at", as: Date.self)
        let publishedAt = try row.decode(column: "published_at", as: Date?.self)
        let embargoUntil = try row.decode(column: "embargo_until", as: Date?.self)
        let organizationName = try row.decode(column: "o_name", as: String.self)
        var profiles: [SocialProfile] = []
        for network in SocialNetwork.allCases {
            if let value = try row.decode(column: "o_\(network.rawValue)", as: String?.self) {
                profiles.append(SocialProfile(network: network, handleOrURL: value))
            }
        }
        return Release(
            id: ReleaseID(try row.decode(column: "id", as: String.self)) ?? ReleaseID(),
            slug: Slug(validating: try row.decode(column: "slug", as: String.self)) ?? Slug(making: headline) ?? Slug(making: "release")!,
            headline: headline,
            subheadline: try row.decode(column: "subheadline", as: String?.self),
            timing: try row.decode(column: "timing", as: String.self) == "embargoed" ? embargoUntil.map { .embargoed(until: $0) } ?? .immediate : .immediate,
            dateline: try row.decode(column: "dateline_city", as: String?.self).map {
                Dateline(city: $0, region: try row.decode(column: "dateline_region", as: String?.self))
            },
            releasedAt: releasedAt,
            timeZone: TimeZone(identifier: try row.decode(column: "time_zone", as: String.self)) ?? TimeZone(identifier: "UTC")!,
            body: try row.decode(column: "body", as: String.self),
            language: LanguageTag(try row.decode(column: "language", as: String.self)) ?? .english,
            statementURL: try row.decode(column: "statement_url", as: String?.self).flatMap(URL.init(string:)),
            organization: Organization(
                name: organizationName,
                slug: Slug(validating: try row.decode(column: "o_slug", as: String.self)) ?? Slug(making: organizationName) ?? Slug(making: "organization")!,
                boilerplate: try row.decode(column: "o_boilerplate", as: String?.self),
                website: try row.decode(column: "o_website", as: String?.self).flatMap(URL.init(string:)),
                socialProfiles: profiles
            ),
            contacts: [],
            topics: [],
            status: ReleaseStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
            publishedAt: publishedAt,
            updatedAt: try row.decode(column: "updated_at", as: Date?.self) ?? publishedAt ?? releasedAt,
            version: try row.decode(column: "version", as: Int.self),
            corrections: [],
            retractionNote: try row.decode(column: "retraction_note", as: String?.self)
        )
    }

    /// Contacts (`c`), topics (`t`), corrections (`v`), media (`m`) and renditions (`n`) of
    /// `ids`, one row each, in columns shared by kind: `t1`–`t8` text, `i1`–`i5` integers, `d1`
    /// a date. The first branch names each column's type (PostgreSQL resolves a UNION's types
    /// pair by pair, so an untyped NULL there would become text); SQLite keeps the values' own.
    private static func partsQuery(_ ids: [String]) -> SQLQueryString {
        SQLQueryString("""
            SELECT 'c' AS kind, rc.release_id AS release_id, c.name AS t1, c.title AS t2, c.affiliation AS t3, c.email AS t4, \
            c.phone AS t5, CAST(NULL AS TEXT) AS t6, CAST(NULL AS TEXT) AS t7, CAST(NULL AS TEXT) AS t8, CAST(NULL AS BIGINT) AS i1, \
            CAST(NULL AS BIGINT) AS i2, CAST(NULL AS BIGINT) AS i3, CAST(NULL AS BIGINT) AS i4, CAST(NULL AS BIGINT) AS i5, \
            CAST(NULL AS TIMESTAMPTZ) AS d1 \
            FROM release_contacts rc JOIN media_contacts c ON c.id = rc.contact_id WHERE rc.release_id IN (\(binds: ids)) \
            UNION ALL SELECT 't', rt.release_id, t.name, t.slug, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL \
            FROM release_topics rt JOIN topics t ON t.id = rt.topic_id WHERE rt.release_id IN (\(binds: ids)) \
            UNION ALL SELECT 'v', v.release_id, v.correction_note, NULL, NULL, NULL, NULL, NULL, NULL, NULL, v.version, NULL, NULL, NULL, NULL, v.corrected_at \
            FROM release_versions v WHERE v.release_id IN (\(binds: ids)) \
            UNION ALL SELECT 'm', m.release_id, m.id, m.kind, m.alt, m.caption, m.credit, m.copyright, m.file_name, m.media_type, \
            m.position, CASE WHEN m.is_lead THEN 1 ELSE 0 END, m.byte_size, m.width, m.height, NULL \
            FROM media m WHERE m.release_id IN (\(binds: ids)) \
            UNION ALL SELECT 'n', m.release_id, m.id, n.id, n.name, n.media_type, NULL, NULL, NULL, NULL, \
            NULL, NULL, n.byte_size, n.width, n.height, NULL \
            FROM media m JOIN media_renditions n ON n.media_id = m.id WHERE m.release_id IN (\(binds: ids))
            """)
    }
}

/// The parts of a set of releases, grouped by release id as ``PublicReleases/wholeReleases`` reads them.
private struct ReleaseParts {
    var contacts: [String: [MediaContact]] = [:]
    var topics: [String: [Topic]] = [:]
    var corrections: [String: [Correction]] = [:]
    /// Media by release id, each with its position.
    var media: [String: [(position: Int, media: ReleaseMedia)]] = [:]
    var renditions: [String: [MediaRendition]] = [:]

    mutating func add(_ rows: [any SQLRow]) throws {
        for row in rows {
            let releaseID = try row.decode(column: "release_id", as: String.self)
            func text(_ n: Int) throws -> String? { try row.decode(column: "t\(n)", as: String?.self) }
            func int(_ n: Int) throws -> Int? { try row.decode(column: "i\(n)", as: Int?.self) }
            switch try row.decode(column: "kind", as: String.self) {
            case "c":
                contacts[releaseID, default: []].append(MediaContact(name: try text(1) ?? "", title: try text(2), organization: try text(3), email: try text(4), phone: try text(5)))
            case "t":
                guard let name = try text(1), let slug = try text(2).flatMap(Slug.init(validating:)) else { continue }
                topics[releaseID, default: []].append(Topic(name: name, slug: slug))
            case "v":
                guard let version = try int(1), let date = try row.decode(column: "d1", as: Date?.self) else { continue }
                // A version row keeps the text before a correction; the correction made it `version + 1`.
                corrections[releaseID, default: []].append(Correction(date: date, note: try text(1) ?? "", version: version + 1))
            case "m":
                guard let id = try text(1).flatMap(MediaID.init) else { continue }
                let item = ReleaseMedia(
                    id: id, kind: ReleaseMedia.Kind(rawValue: try text(2) ?? "") ?? .document, alt: try text(3) ?? "",
                    caption: try text(4), credit: try text(5), copyright: try text(6), isLead: try int(2) == 1,
                    fileName: try text(7) ?? "", mediaType: try text(8) ?? "", byteSize: try int(3) ?? 0,
                    width: try int(4), height: try int(5), renditions: []
                )
                media[releaseID, default: []].append((try int(1) ?? 0, item))
            case "n":
                guard let mediaID = try text(1), let id = try text(2).flatMap(MediaID.init) else { continue }
                renditions[mediaID, default: []].append(MediaRendition(
                    name: try text(3) ?? "", id: id, mediaType: try text(4) ?? "",
                    width: try int(4), height: try int(5), byteSize: try int(3) ?? 0
                ))
            default: continue
            }
        }
    }

    /// Puts the parts in the release, in the orders the formats show them: topics by name,
    /// corrections by version, media by the writer's order, renditions widest first.
    func fill(_ release: inout Release, id: String) {
        release.contacts = contacts[id] ?? []
        release.topics = (topics[id] ?? []).sorted { $0.name < $1.name }
        release.corrections = (corrections[id] ?? []).sorted { $0.version < $1.version }
        release.media = (media[id] ?? []).sorted { $0.position < $1.position }.map { entry in
            var item = entry.media
            item.renditions = (renditions[item.id.rawValue] ?? []).sorted { ($0.width ?? 0) > ($1.width ?? 0) }
            return item
        }
    }
}
