import DatelineCore
import Foundation
import Hummingbird
import Syndication

/// sitemap.xml (an index of sitemap files), the sitemap files, a news sitemap of the last two
/// days, and robots.txt pointing at them. All through ``PublicReleases``.
struct SitemapController<Context: RequestContext> {
    let hub: DatabaseHub
    let settings: Settings
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<Context>) {
        router.get(SiteURL.Pattern.sitemapIndex, use: index)
        router.get(SiteURL.Pattern.sitemapPages, use: pages)
        router.get(SiteURL.Pattern.sitemapReleases, use: releaseFile)
        router.get(SiteURL.Pattern.newsSitemap, use: news)
        router.get(SiteURL.Pattern.robots, use: robots)
    }

    private var releases: PublicReleases { get throws { PublicReleases(database: try hub.database, now: clock()) } }

    private func xml(_ request: Request, _ data: Data) -> Response {
        ConditionalResponse.make(request: request, body: ByteBuffer(bytes: data), contentType: "application/xml; charset=utf-8", lastModified: nil, freshness: .feed)
    }

    @Sendable func index(request: Request, context: Context) async throws -> Response {
        var sitemaps = [Sitemap.Location(url: SiteURL.sitemapPages.absolute(base: settings.baseURL), lastModified: nil)]
        sitemaps += try await releases.sitemapWeeks().map { Sitemap.Location(url: SiteURL.sitemapReleases($0).absolute(base: settings.baseURL), lastModified: nil) }
        sitemaps.append(Sitemap.Location(url: SiteURL.newsSitemap.absolute(base: settings.baseURL), lastModified: nil))
        return xml(request, Sitemap.index(sitemaps))
    }

    @Sendable func pages(request: Request, context: Context) async throws -> Response {
        let (organizations, topics) = try await releases.organizationsAndTopicsWithReleases()
        let base = settings.baseURL
        var locations = [Sitemap.Location(url: SiteURL.home().absolute(base: base), lastModified: nil)]
        locations += organizations.map { Sitemap.Location(url: SiteURL.organization($0).absolute(base: base), lastModified: nil) }
        locations += topics.map { Sitemap.Location(url: SiteURL.topic($0).absolute(base: base), lastModified: nil) }
        let reader = try releases
        locations += [SiteURL.organizations, .topics, .languages, .archive].map { Sitemap.Location(url: $0.absolute(base: base), lastModified: nil) }
        locations += try await reader.listedLanguages().sorted().compactMap(LanguageTag.init).map { Sitemap.Location(url: SiteURL.language($0).absolute(base: base), lastModified: nil) }
        locations += try await reader.archiveYears().map { Sitemap.Location(url: SiteURL.archiveYear($0).absolute(base: base), lastModified: nil) }
        return xml(request, Sitemap.urlSet(locations))
    }

    @Sendable func releaseFile(request: Request, context: Context) async throws -> Response {
        guard let week = context.parameters.get("week").flatMap(SitemapWeek.init(name:)) else { throw HTTPError(.notFound) }
        let entries = try await releases.sitemapEntries(week: week)
        if entries.isEmpty { throw HTTPError(.notFound) }
        let locations = entries.map { Sitemap.Location(url: SiteURL.release($0.slug).absolute(base: settings.baseURL), lastModified: $0.updated) }
        return xml(request, Sitemap.urlSet(locations))
    }

    /// Releases first published in the last two days, as news sitemaps require.
    @Sendable func news(request: Request, context: Context) async throws -> Response {
        let recent = try await releases.published(since: clock().addingTimeInterval(-2 * 24 * 3600))
        let locations = recent.map { release in
            Sitemap.NewsLocation(
                url: SiteURL.release(release.slug).absolute(base: settings.baseURL),
                publicationName: settings.siteName,
                language: release.language.primaryLanguage,
                published: release.publishedAt,
                title: release.headline
            )
        }
        return xml(request, Sitemap.news(locations))
    }

    @Sendable func robots(request: Request, context: Context) async throws -> Response {
        let text = """
        User-agent: *
        Allow: /
        Disallow: /share/

        Sitemap: \(SiteURL.sitemapIndex.absolute(base: settings.baseURL).absoluteString)

        """
        return ConditionalResponse.make(request: request, body: ByteBuffer(string: text), contentType: "text/plain; charset=utf-8", lastModified: nil, freshness: .document)
    }
}
