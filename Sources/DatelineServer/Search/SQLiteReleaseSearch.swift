import Foundation
import SQLKit

/// Search on SQLite: an FTS5 table `release_search` (headline, subheadline, body, and the filter
/// words of the release's language, organization and topics), contentless
/// with deletes allowed (the text stays in `releases`), tokenized by `porter unicode61
/// remove_diacritics 2`. Text is folded before it (``SearchText``), so diacritics fold in every
/// script; the Porter stemmer is English's, so "reports" finds "report" but German or French
/// plurals find only their own form on SQLite. An FTS row's rowid comes from
/// `release_search_ids`, which gives each indexed release a stable integer (the rowids of
/// `releases` itself may change on VACUUM) in the order of release dates: the release date's
/// Unix second times ``block``, plus its place among the releases indexed with that second. FTS5
/// reads matches in rowid order, so a walk from the highest rowid meets the newest releases
/// first whatever order they were indexed in (an archive imported late, a backfill).
struct SQLiteReleaseSearch: ReleaseSearchEngine {
    /// bm25's weights of headline, subheadline, body and the filter words (which never rank).
    static let weights = "10.0, 4.0, 1.0, 0.0"
    /// Rowids per second of release date (2^20).
    static let block = "1048576"
    /// The release dates' seconds are clamped to ±2^42 (about 139,000 years), so that the
    /// rowid stays inside 64 bits whatever date an import gives.
    static let lastSecond = "4398046511103"

    func put(_ documents: [SearchDocument], on sql: any SQLDatabase) async throws {
        guard !documents.isEmpty else { return }
        let ids = documents.map(\.id)
        // One statement per release: the next free rowid of its second's block must see the rows
        // given out just before it (a multi-row INSERT … SELECT reads the table once, first).
        for id in ids {
            try await sql.raw("""
                INSERT INTO release_search_ids (search_rowid, release_id) \
                SELECT COALESCE((SELECT MAX(i.search_rowid) FROM release_search_ids i WHERE i.search_rowid >= b.start AND i.search_rowid < b.start + \(unsafeRaw: Self.block)), b.start - 1) + 1, \(bind: id) \
                FROM (SELECT MAX(MIN(CAST(r.released_at AS INTEGER), \(unsafeRaw: Self.lastSecond)), -\(unsafeRaw: Self.lastSecond)) * \(unsafeRaw: Self.block) AS start FROM releases r WHERE r.id = \(bind: id)) b \
                WHERE 1 ON CONFLICT (release_id) DO NOTHING
                """).run()
        }
        let rows = try await sql.raw("SELECT search_rowid, release_id FROM release_search_ids WHERE release_id IN (\(binds: ids))").all()
        var rowids: [String: Int] = [:]
        for row in rows { rowids[try row.decode(column: "release_id", as: String.self)] = try row.decode(column: "search_rowid", as: Int.self) }
        try await sql.raw("DELETE FROM release_search WHERE rowid IN (\(binds: Array(rowids.values)))").run()
        var insert = SQLQueryString("INSERT INTO release_search (rowid, headline, subheadline, body, filters) VALUES ")
        for (number, document) in documents.enumerated() {
            guard let rowid = rowids[document.id] else { continue }
            let fields = document.indexedFields
            if number > 0 { insert.appendInterpolation(unsafeRaw: ", ") }
            insert.appendInterpolation(unsafeRaw: "(")
            insert.appendInterpolation(bind: rowid)
            insert.appendInterpolation(unsafeRaw: ", ")
            insert.appendInterpolation(bind: fields.headline)
            insert.appendInterpolation(unsafeRaw: ", ")
            insert.appendInterpolation(bind: fields.subheadline)
            insert.appendInterpolation(unsafeRaw: ", ")
            insert.appendInterpolation(bind: fields.body)
            // The filter words of the release's language, organization and topics, read from
            // the rows the same transaction wrote.
            insert.appendInterpolation(unsafeRaw: ", (SELECT 'l' || lower(replace(r.language, '-', '')) || ' o' || replace(o.slug, '-', '') || COALESCE((SELECT ' ' || group_concat('t' || replace(t.slug, '-', ''), ' ') FROM release_topics rt JOIN topics t ON t.id = rt.topic_id WHERE rt.release_id = r.id), '') FROM releases r JOIN organizations o ON o.id = r.organization_id WHERE r.id = ")
            insert.appendInterpolation(bind: document.id)
            insert.appendInterpolation(unsafeRaw: "))")
        }
        try await sql.raw(insert).run()
    }

    func remove(ids: [String], on sql: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        try await sql.raw("DELETE FROM release_search WHERE rowid IN (SELECT search_rowid FROM release_search_ids WHERE release_id IN (\(binds: ids)))").run()
        try await sql.raw("DELETE FROM release_search_ids WHERE release_id IN (\(binds: ids))").run()
    }

    /// One statement: the FTS5 match read newest release date first (rowid descending, so a
    /// `LIMIT` stops the walk early), each row joined to its release and organization by key.
    /// The reader's words match the three text columns only; the facet filters narrow inside
    /// the index too — a year as a range of rowids, a language, organization or topic as a
    /// word of the `filters` column (``SearchFilters/words``, the same words ``put(_:on:)`` writes) — so a common word in a rare
    /// language does not walk every match. `conditions` still decide: the index only narrows.
    func candidates(for query: SearchQuery, filters: SearchFilters, conditions: SQLQueryString, limit: Int, on sql: any SQLDatabase) async throws -> [SearchCandidate] {
        var match = "{headline subheadline body} : (" + query.fts5 + ")"
        for word in filters.words { match += " AND filters : \"" + word + "\"" }
        var statement = SQLQueryString("""
            SELECT r.id, r.language, r.released_at, r.published_at, o.slug AS organization_slug, o.name AS organization_name, \
            \(unsafeRaw: filters.ranked ? "-bm25(release_search, \(Self.weights))" : "0.0") AS score \
            FROM release_search CROSS JOIN release_search_ids m CROSS JOIN releases r CROSS JOIN organizations o \
            WHERE release_search MATCH \(bind: match) AND m.search_rowid = release_search.rowid AND r.id = m.release_id \
            AND o.id = r.organization_id
            """)
        if let year = filters.year, let period = ArchiveCalendar.period(year: year) {
            let block = Int(Self.block)!
            statement.appendInterpolation(unsafeRaw: " AND release_search.rowid >= ")
            statement.appendInterpolation(bind: Int(period.from.timeIntervalSince1970) * block)
            statement.appendInterpolation(unsafeRaw: " AND release_search.rowid < ")
            statement.appendInterpolation(bind: Int(period.to.timeIntervalSince1970) * block)
        }
        statement += conditions
        statement.appendInterpolation(unsafeRaw: " ORDER BY release_search.rowid DESC LIMIT ")
        statement.appendInterpolation(bind: limit)
        return try await sql.raw(statement).all().map(SearchCandidate.init(row:))
    }
}
