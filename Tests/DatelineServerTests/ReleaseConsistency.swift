import DatelineServer
import Foundation
import SQLKit

/// Checks that every release in a database is whole: what a crash, a kill or a backup must never
/// leave half-written. Used after `kill -9` and on backups and restored dumps.
///
/// The same SQL runs on SQLite and PostgreSQL. On SQLite, `PRAGMA integrity_check` and
/// `PRAGMA foreign_key_check` are run too.
struct ReleaseConsistency {
    /// How many topic links every release must have (all releases of the test were imported with
    /// the same `--topic` options); nil to not check.
    var topicsPerRelease: Int?
    /// Whether every release must link at least one media contact (its text named one).
    var contactRequired = true
    /// Whether every organization, contact and topic must belong to a release (true when all of
    /// them came from imports, so that one left behind is the remains of a half-written import).
    var nothingWithoutRelease = true

    /// - Returns: one line per problem found, empty when every release is whole.
    func problems(in location: DatabaseLocation) async throws -> [String] {
        let hub = try DatabaseHub(location: location, logger: quietLogger)
        do {
            let found = try await problems(try hub.database as! any SQLDatabase, sqlite: { if case .sqlite = location { true } else { false } }())
            await hub.shutdown()
            return found
        } catch {
            await hub.shutdown()
            throw error
        }
    }

    private func problems(_ sql: any SQLDatabase, sqlite: Bool) async throws -> [String] {
        var found: [String] = []
        /// Each release id the query returns is a problem named `what`.
        func releases(_ what: String, _ query: SQLQueryString) async throws {
            for row in try await sql.raw(query).all() {
                found.append("release \(try row.decode(column: "id", as: String.self)): \(what)")
            }
        }
        /// A count that must be zero.
        func none(_ what: String, _ query: SQLQueryString) async throws {
            let n = try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
            if n != 0 { found.append("\(n) \(what)") }
        }

        if sqlite {
            let integrity = try await sql.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
            if integrity != ["ok"] { found.append("integrity_check: \(integrity.joined(separator: "; "))") }
            let foreign = try await sql.raw("PRAGMA foreign_key_check").all()
            if !foreign.isEmpty { found.append("foreign_key_check: \(foreign.count) rows point at nothing") }
        }

        try await releases("has no organization", """
            SELECT r.id FROM releases r LEFT JOIN organizations o ON o.id = r.organization_id WHERE o.id IS NULL
            """)
        try await releases("has no creation event in its history", """
            SELECT r.id FROM releases r
            WHERE NOT EXISTS (SELECT 1 FROM release_events e WHERE e.release_id = r.id AND e.from_status IS NULL)
            """)
        try await releases("has a status no history row leads to", """
            SELECT r.id FROM releases r
            WHERE NOT EXISTS (SELECT 1 FROM release_events e WHERE e.release_id = r.id AND e.to_status = r.status)
            """)
        try await releases("was published more than once", """
            SELECT release_id AS id FROM release_events WHERE to_status = 'published' GROUP BY release_id HAVING COUNT(*) > 1
            """)
        try await releases("is public without a publication time", """
            SELECT id FROM releases WHERE status IN ('published', 'corrected') AND published_at IS NULL
            """)
        try await releases("is public but its publication was never announced (no release-changed job)", """
            SELECT r.id FROM releases r
            WHERE r.status = 'published'
              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = 'release-changed' AND j.payload LIKE '%' || r.id || '%')
            """)
        try await releases("links a contact of another organization", """
            SELECT rc.release_id AS id FROM release_contacts rc
            JOIN releases r ON r.id = rc.release_id JOIN media_contacts c ON c.id = rc.contact_id
            WHERE c.organization_id <> r.organization_id
            """)
        if let topicsPerRelease {
            try await releases("does not have its \(topicsPerRelease) topic links", """
                SELECT r.id FROM releases r
                WHERE (SELECT COUNT(*) FROM release_topics t WHERE t.release_id = r.id) <> \(bind: topicsPerRelease)
                """)
        }
        if contactRequired {
            try await releases("has no media contact link", """
                SELECT r.id FROM releases r WHERE NOT EXISTS (SELECT 1 FROM release_contacts rc WHERE rc.release_id = r.id)
                """)
        }

        for table in ["release_events", "release_contacts", "release_topics", "release_versions"] {
            try await none("rows of \(table) whose release is missing", """
                SELECT COUNT(*) AS n FROM \(unsafeRaw: table) x LEFT JOIN releases r ON r.id = x.release_id WHERE r.id IS NULL
                """)
        }
        try await none("release_contacts rows whose contact is missing", """
            SELECT COUNT(*) AS n FROM release_contacts x LEFT JOIN media_contacts c ON c.id = x.contact_id WHERE c.id IS NULL
            """)
        try await none("release_topics rows whose topic is missing", """
            SELECT COUNT(*) AS n FROM release_topics x LEFT JOIN topics t ON t.id = x.topic_id WHERE t.id IS NULL
            """)
        if nothingWithoutRelease {
            try await none("organizations without a release", """
                SELECT COUNT(*) AS n FROM organizations o WHERE NOT EXISTS (SELECT 1 FROM releases r WHERE r.organization_id = o.id)
                """)
            try await none("media contacts without a release", """
                SELECT COUNT(*) AS n FROM media_contacts c WHERE NOT EXISTS (SELECT 1 FROM release_contacts rc WHERE rc.contact_id = c.id)
                """)
            try await none("topics without a release", """
                SELECT COUNT(*) AS n FROM topics t WHERE NOT EXISTS (SELECT 1 FROM release_topics rt WHERE rt.topic_id = t.id)
                """)
        }
        return found
    }
}
