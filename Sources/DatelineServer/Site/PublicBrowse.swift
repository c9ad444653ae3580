import DatelineCore
import Foundation
import SQLKit

/// One organization of the directory (`/organizations`): what it has published so far.
struct DirectoryOrganization {
    var slug: Slug
    var name: String
    /// Listed, lifted releases.
    var releaseCount: Int
    /// The release date of its newest listed, lifted release.
    var latest: Date
}

/// The archive's calendar: releases are filed by their release date in UTC.
enum ArchiveCalendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// The years the archive can address; a year outside answers 404.
    static let years = 1900...2999

    /// Whether a path segment is exactly `digits` ASCII digits (a year's or a month's number).
    static func isNumber(_ segment: String, digits: Int) -> Bool {
        segment.utf8.count == digits && segment.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// `from..<to` of a year, or of one month (1–12) of it, in UTC.
    static func period(year: Int, month: Int? = nil) -> (from: Date, to: Date)? {
        guard years.contains(year), month.map({ (1...12).contains($0) }) ?? true,
              let from = utc.date(from: DateComponents(year: year, month: month ?? 1, day: 1)),
              let to = utc.date(byAdding: month == nil ? .year : .month, value: 1, to: from)
        else { return nil }
        return (from, to)
    }
}

extension PublicReleases {
    /// Organizations with a listed, lifted release, each with the number of such releases and
    /// the date of the newest, by name. One grouped query answered from
    /// `releases_organization_listing` alone; an organization known only from drafts or
    /// embargoed releases is not in it, and hidden releases change no count or date.
    func organizationDirectory() async throws -> [DirectoryOrganization] {
        let sql = database as! any SQLDatabase
        var query = SQLQueryString("SELECT o.slug, o.name, c.n, c.latest FROM organizations o CROSS JOIN (SELECT r.organization_id AS organization_id, COUNT(*) AS n, MAX(r.released_at) AS latest FROM releases r WHERE 1 = 1")
        appendPublic(.listed, alias: "r", to: &query)
        query.appendInterpolation(unsafeRaw: " GROUP BY r.organization_id) c WHERE o.id = c.organization_id")
        return try await sql.raw(query).all().compactMap { row in
            guard let slug = Slug(validating: try row.decode(column: "slug", as: String.self)) else { return nil }
            return DirectoryOrganization(slug: slug, name: try row.decode(column: "name", as: String.self),
                                         releaseCount: try row.decode(column: "n", as: Int.self),
                                         latest: try row.decode(column: "latest", as: Date.self))
        }
        .sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
    }

    /// Topics with a listed, lifted release (slug and name), by name.
    func topicDirectory() async throws -> [(slug: Slug, name: String)] {
        try await listedTopics().compactMap { topic in Slug(validating: topic.slug).map { ($0, topic.name) } }
            .sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
    }

    /// Languages of listed, lifted releases, by tag.
    func languageDirectory() async throws -> [LanguageTag] {
        try await listedLanguages().sorted().compactMap(LanguageTag.init)
    }

    /// The years, newest first, in which a listed, lifted release is dated (UTC). The first and
    /// last release dates come from the ends of `releases_listing`, then one probe per year
    /// between them, all in one statement.
    func archiveYears() async throws -> [Int] {
        let sql = database as! any SQLDatabase
        func end(_ direction: String) async throws -> Date? {
            var query = SQLQueryString("SELECT r.released_at FROM releases r WHERE 1 = 1")
            appendPublic(.listed, alias: "r", to: &query)
            query.appendInterpolation(unsafeRaw: " ORDER BY r.released_at \(direction) LIMIT 1")
            return try await sql.raw(query).first()?.decode(column: "released_at", as: Date.self)
        }
        guard let first = try await end("ASC"), let last = try await end("DESC") else { return [] }
        let years = ArchiveCalendar.utc.component(.year, from: first)...ArchiveCalendar.utc.component(.year, from: last)
        let periods = years.reversed().compactMap { year in ArchiveCalendar.period(year: year).map { (year, $0) } }
        guard !periods.isEmpty else { return [] }
        // One statement: a probe of the index per year, each its own column.
        var query = SQLQueryString("SELECT ")
        for (number, (_, period)) in periods.enumerated() {
            if number > 0 { query.appendInterpolation(unsafeRaw: ", ") }
            query.appendInterpolation(unsafeRaw: "CASE WHEN EXISTS (SELECT 1 FROM releases r WHERE r.released_at >= ")
            query.appendInterpolation(bind: period.from)
            query.appendInterpolation(unsafeRaw: " AND r.released_at < ")
            query.appendInterpolation(bind: period.to)
            appendPublic(.listed, alias: "r", to: &query)
            query.appendInterpolation(unsafeRaw: ") THEN 1 ELSE 0 END AS y\(number)")
        }
        guard let row = try await sql.raw(query).first() else { return [] }
        return try periods.enumerated().filter { number, _ in try row.decode(column: "y\(number)", as: Int.self) == 1 }.map(\.element.0)
    }

    /// The number of listed, lifted releases dated in each month of `year` (UTC), January first:
    /// twelve counts of ranges of `releases_listing`, in one query.
    func archiveMonthCounts(year: Int) async throws -> [Int] {
        let sql = database as! any SQLDatabase
        var query = SQLQueryString("SELECT ")
        for month in 1...12 {
            guard let period = ArchiveCalendar.period(year: year, month: month) else { return [] }
            if month > 1 { query.appendInterpolation(unsafeRaw: ", ") }
            query.appendInterpolation(unsafeRaw: "(SELECT COUNT(*) FROM releases r WHERE r.released_at >= ")
            query.appendInterpolation(bind: period.from)
            query.appendInterpolation(unsafeRaw: " AND r.released_at < ")
            query.appendInterpolation(bind: period.to)
            appendPublic(.listed, alias: "r", to: &query)
            query.appendInterpolation(unsafeRaw: ") AS m\(month)")
        }
        guard let row = try await sql.raw(query).first() else { return [] }
        return try (1...12).map { try row.decode(column: "m\($0)", as: Int.self) }
    }


}
