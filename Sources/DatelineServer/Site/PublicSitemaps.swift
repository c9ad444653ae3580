import DatelineCore
import Foundation
import SQLKit

/// A week of release dates, Monday 00:00 UTC to the next: the unit of a sitemap file, so that
/// each file is one range of the `releases_listing` index whatever the archive's size, and no
/// file ever needs counting or an offset. `2024-03-04` in URLs.
struct SitemapWeek: Hashable, Comparable {
    /// Monday 00:00 UTC.
    let start: Date

    static let length: TimeInterval = 7 * 24 * 3600

    /// The week `date` falls in.
    init(containing date: Date) {
        // 1970-01-05, four days after the epoch, was a Monday.
        let sinceMonday = (date.timeIntervalSince1970 - 4 * 24 * 3600).truncatingRemainder(dividingBy: Self.length)
        let offset = sinceMonday < 0 ? sinceMonday + Self.length : sinceMonday
        start = Date(timeIntervalSince1970: (date.timeIntervalSince1970 - offset).rounded())
    }

    /// A week named by its Monday as `YYYY-MM-DD`; nil for anything else.
    init?(name: String) {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard name.utf8.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let date = Self.utc.date(from: DateComponents(year: year, month: month, day: day)),
              Self.utc.component(.day, from: date) == day
        else { return nil }
        let week = SitemapWeek(containing: date)
        // A Monday, and written as its own name (a lenient calendar reads 2024-13-06 as 2025-01-06).
        guard week.start == date, week.name == name else { return nil }
        self = week
    }

    var end: Date { start.addingTimeInterval(Self.length) }
    var name: String { ReleaseDate.machine(start, timeZone: TimeZone(identifier: "UTC")!) }

    static func < (a: SitemapWeek, b: SitemapWeek) -> Bool { a.start < b.start }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

extension PublicReleases {
    /// The most URLs a sitemap file may hold (sitemaps.org protocol).
    static var sitemapFileLimit: Int { 50_000 }

    /// The weeks, oldest first, in which at least one listed, lifted release is dated: the
    /// sitemap index's files. Two queries: the earliest and latest release dates (an index entry
    /// at each end), then one probe of `releases_listing` per week between, sent as one statement.
    func sitemapWeeks() async throws -> [SitemapWeek] {
        let sql = database as! any SQLDatabase
        let listed = ReleaseStatus.listed.map(\.rawValue)
        // Two subqueries: SQLite reads a MIN or a MAX from one end of an index only when the
        // query asks for nothing else.
        let bounds = try await sql.raw("""
            SELECT (SELECT MIN(released_at) FROM releases WHERE status IN (\(binds: listed)) \
            AND (embargo_until IS NULL OR embargo_until <= \(bind: now))) AS first, \
            (SELECT MAX(released_at) FROM releases WHERE status IN (\(binds: listed)) \
            AND (embargo_until IS NULL OR embargo_until <= \(bind: now))) AS last
            """).first()
        guard let first = try bounds?.decode(column: "first", as: Date?.self),
              let newest = try bounds?.decode(column: "last", as: Date?.self)
        else { return [] }
        var weeks: [SitemapWeek] = []
        var week = SitemapWeek(containing: first)
        // A release may be dated ahead (an import of next week's release): its week is named too.
        let last = SitemapWeek(containing: max(now, newest))
        while week <= last {
            weeks.append(week)
            week = SitemapWeek(containing: week.end)
        }
        var found = Set<Date>()
        // Batches keep the number of bound values well under SQLite's limit of 32,766.
        for batch in stride(from: 0, to: weeks.count, by: 2_000).map({ Array(weeks[$0..<min($0 + 2_000, weeks.count)]) }) {
            var query = SQLQueryString("WITH weeks(week_start, week_end) AS (VALUES ")
            for (index, week) in batch.enumerated() {
                query.appendInterpolation(unsafeRaw: index == 0 ? "(" : ", (")
                query.appendInterpolation(bind: week.start)
                query.appendInterpolation(unsafeRaw: ", ")
                query.appendInterpolation(bind: week.end)
                query.appendInterpolation(unsafeRaw: ")")
            }
            query.appendInterpolation(unsafeRaw: ") SELECT week_start FROM weeks WHERE EXISTS (SELECT 1 FROM releases r WHERE r.released_at >= weeks.week_start AND r.released_at < weeks.week_end AND r.status IN (")
            query.appendInterpolation(binds: listed)
            query.appendInterpolation(unsafeRaw: ") AND (r.embargo_until IS NULL OR r.embargo_until <= ")
            query.appendInterpolation(bind: now)
            query.appendInterpolation(unsafeRaw: "))")
            for row in try await sql.raw(query).all() {
                found.insert(try row.decode(column: "week_start", as: Date.self))
            }
        }
        return weeks.filter { found.contains($0.start) }
    }

    /// Slug and last change of each listed, lifted release dated in `week`, oldest first, at most
    /// ``sitemapFileLimit`` of them; one range of `releases_listing`.
    func sitemapEntries(week: SitemapWeek) async throws -> [(slug: Slug, updated: Date)] {
        let sql = database as! any SQLDatabase
        let listed = ReleaseStatus.listed.map(\.rawValue)
        return try await sql.raw("""
            SELECT slug, updated_at, released_at FROM releases WHERE released_at >= \(bind: week.start) \
            AND released_at < \(bind: week.end) AND status IN (\(binds: listed)) \
            AND (embargo_until IS NULL OR embargo_until <= \(bind: now)) \
            ORDER BY released_at ASC, published_at ASC, id ASC LIMIT \(bind: Self.sitemapFileLimit)
            """).all()
            .compactMap { row in
                guard let slug = Slug(validating: try row.decode(column: "slug", as: String.self)) else { return nil }
                let updated = try row.decode(column: "updated_at", as: Date?.self) ?? row.decode(column: "released_at", as: Date.self)
                return (slug, updated)
            }
    }
}
