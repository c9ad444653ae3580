import DatelineCore
import Foundation
import Hummingbird

/// The browse pages: the directories of organizations, topics and languages, each language's
/// releases, and the date archive. Every release and count they show comes through
/// ``PublicReleases``, so a draft or an embargoed release changes none of them.
struct BrowseController<Context: RequestContext> {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    /// The current instant; tests move it to check embargo lift times.
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<Context>) {
        router.get(SiteURL.Pattern.organizations, use: organizations)
        router.get(SiteURL.Pattern.topics, use: topics)
        router.get(SiteURL.Pattern.languages, use: languages)
        router.get(SiteURL.Pattern.language, use: language)
        router.get(SiteURL.Pattern.archive, use: archive)
        router.get(SiteURL.Pattern.archiveYear, use: archiveYear)
        router.get(SiteURL.Pattern.archiveMonth, use: archiveMonth)
    }

    private var releases: PublicReleases { get throws { PublicReleases(database: try hub.database, now: clock()) } }

    @Sendable func organizations(request: Request, context: Context) async throws -> Response {
        try directory(request, title: "Organizations", description: "Every organization that publishes on \(settings.siteName), A–Z.", canonical: .organizations,
                      introduction: "Every organization with releases on \(settings.siteName), A–Z, with its newsroom and feeds.",
                      entries: try await releases.organizationDirectory().map(DirectoryEntry.init), letterBar: true)
    }

    @Sendable func topics(request: Request, context: Context) async throws -> Response {
        try directory(request, title: "Topics", description: "The topics of the releases on \(settings.siteName).", canonical: .topics,
                      introduction: "The subjects releases on \(settings.siteName) are filed under, each with its page and feeds.",
                      entries: try await releases.topicDirectory().map { DirectoryEntry(topic: $0.slug, name: $0.name) }, letterBar: true)
    }

    @Sendable func languages(request: Request, context: Context) async throws -> Response {
        try directory(request, title: "Languages", description: "The languages of the releases on \(settings.siteName).", canonical: .languages,
                      introduction: "Releases on \(settings.siteName) by the language they are written in.",
                      entries: try await releases.languageDirectory().map { DirectoryEntry(language: $0) }
                          .sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending },
                      letterBar: false)
    }

    /// A directory page (`directory.mustache`): its title is its heading.
    private func directory(_ request: Request, title: String, description: String, canonical: SiteURL, introduction: String, entries: [DirectoryEntry], letterBar: Bool) throws -> Response {
        let page = DirectoryPage(layout: PageLayout(settings: settings, title: title, description: description, canonical: canonical),
                                 heading: title, introduction: introduction, entries: entries, letterBar: letterBar)
        return try renderer.cacheablePage("directory", page, request: request, lastModified: nil)
    }

    @Sendable func language(request: Request, context: Context) async throws -> Response {
        guard let parameter = context.parameters.get("tag"), let tag = LanguageTag(parameter), tag.rawValue == parameter else { throw HTTPError(.notFound) }
        let position = try ListingPosition.of(request)
        guard let found = try await releases.listing(.language(tag), at: position, per: settings.pageSize),
              !found.releases.isEmpty
        else { throw HTTPError(.notFound) }
        let listing = try await releases.withLeadImages(found)
        let name = LanguageNames.english(tag)
        let native = LanguageNames.native(tag)
        // The page's chrome keeps the site's language; the native name and each release are marked
        // with theirs.
        let layout = PageLayout(settings: settings, title: "Releases in \(name)", description: "Press releases in \(name) on \(settings.siteName).", canonical: .language(tag, position), feeds: .language(tag), feedTitle: "\(settings.siteName): releases in \(name)")
        let page = LanguagePage(
            layout: layout, name: name, nativeName: native == name ? nil : native, tag: tag,
            releases: listing.releases.map(ReleaseSummary.init),
            pagination: Pagination(listing, at: position) { .language(tag, $0) })
        return try renderer.cacheablePage("language", page, request: request, lastModified: listing.releases.map(\.updatedAt).max())
    }

    @Sendable func archive(request: Request, context: Context) async throws -> Response {
        let years = try await releases.archiveYears()
        let page = ArchivePage(
            layout: PageLayout(settings: settings, title: "Archive", description: "Every release on \(settings.siteName), by year and month.", canonical: .archive),
            heading: "Archive", trail: [], years: years.map { ArchiveLink(label: String($0), path: SiteURL.archiveYear($0).path, isCurrent: false) },
            months: [], releases: [], listsReleases: false, pagination: nil)
        return try renderer.cacheablePage("archive", page, request: request, lastModified: nil)
    }

    @Sendable func archiveYear(request: Request, context: Context) async throws -> Response {
        guard let year = Self.number(context.parameters.get("year"), digits: 4), ArchiveCalendar.period(year: year) != nil else { throw HTTPError(.notFound) }
        return try await archivePeriod(request: request, year: year, month: nil)
    }

    @Sendable func archiveMonth(request: Request, context: Context) async throws -> Response {
        guard let year = Self.number(context.parameters.get("year"), digits: 4), let month = Self.number(context.parameters.get("month"), digits: 2),
              ArchiveCalendar.period(year: year, month: month) != nil
        else { throw HTTPError(.notFound) }
        return try await archivePeriod(request: request, year: year, month: month)
    }

    /// A year's or a month's page: the years, the year's months with counts, the period's releases.
    private func archivePeriod(request: Request, year: Int, month: Int?) async throws -> Response {
        guard let period = ArchiveCalendar.period(year: year, month: month) else { throw HTTPError(.notFound) }
        let position = try ListingPosition.of(request)
        let reader = try releases
        // A period without a listed release is as absent as one the archive cannot address, so
        // a year or month known only from hidden releases tells nothing, and crawlers find no
        // empty pages to fill the cache with.
        guard let found = try await reader.listing(.period(from: period.from, to: period.to), at: position, per: settings.pageSize),
              !found.releases.isEmpty
        else { throw HTTPError(.notFound) }
        let listing = try await reader.withLeadImages(found)
        let years = try await reader.archiveYears()
        let counts = try await reader.archiveMonthCounts(year: year)
        let monthNames = ArchiveCalendar.monthNames
        let months = counts.enumerated().map { index, count in
            ArchiveLink(label: monthNames[index], path: count > 0 ? SiteURL.archiveMonth(year, index + 1).path : nil,
                        count: count == 1 ? "1 release" : "\(count) releases", isCurrent: month == index + 1)
        }
        let heading = month.map { "\(monthNames[$0 - 1]) \(year)" } ?? String(year)
        let url: (ListingPosition) -> SiteURL = { position in month.map { .archiveMonth(year, $0, position) } ?? .archiveYear(year, position) }
        var trail = [ArchiveLink(label: "Archive", path: SiteURL.archive.path, isCurrent: false)]
        if month != nil { trail.append(ArchiveLink(label: String(year), path: SiteURL.archiveYear(year).path, isCurrent: false)) }
        let page = ArchivePage(
            layout: PageLayout(settings: settings, title: "Releases of \(heading)", description: "Press releases on \(settings.siteName) dated \(heading).", canonical: url(position)),
            heading: heading, trail: trail,
            years: years.map { ArchiveLink(label: String($0), path: SiteURL.archiveYear($0).path, isCurrent: $0 == year && month == nil) },
            months: months, releases: listing.releases.map(ReleaseSummary.init), listsReleases: true,
            pagination: Pagination(listing, at: position, path: url))
        return try renderer.cacheablePage("archive", page, request: request, lastModified: listing.releases.map(\.updatedAt).max())
    }

    /// A path segment of exactly `digits` ASCII digits, as a number.
    private static func number(_ segment: String?, digits: Int) -> Int? {
        guard let segment, ArchiveCalendar.isNumber(segment, digits: digits) else { return nil }
        return Int(segment)
    }
}
