import DatelineCore
import FluentKit
import Foundation
import SQLKit

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
