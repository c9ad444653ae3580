import DatelineCore
import FluentKit
import Foundation
import Hummingbird
import Syndication

/// Feeds of the whole site, each organization, each topic and each language, in Atom
/// (RFC 4287), RSS 2.0 and JSON Feed 1.1. Every release in them comes through ``PublicReleases``.
struct FeedController<Context: RequestContext> {
    let hub: DatabaseHub
    let settings: Settings
    let clock: @Sendable () -> Date

    /// Entries per feed.
    static var entryLimit: Int { 50 }

    func addRoutes(to router: Router<Context>) {
        for format in FeedFormat.allCases {
            router.get(SiteURL.Pattern.siteFeed(format)) { request, _ in
                try await feed(request: request, subject: .site, scope: .site, title: "\(settings.siteName): latest releases", format: format)
            }
            router.get(SiteURL.Pattern.organizationFeed(format)) { request, context in
                guard let slug = context.parameters.get("slug").flatMap(\.removingPercentEncoding).flatMap(Slug.init(validating:)),
                      let organization = try await releases.organization(slug: slug), let id = organization.id
                else { throw HTTPError(.notFound) }
                return try await feed(request: request, subject: .organization(slug), scope: .organization(id), title: "\(organization.name) on \(settings.siteName)", format: format)
            }
            router.get(SiteURL.Pattern.topicFeed(format)) { request, context in
                guard let slug = context.parameters.get("slug").flatMap(\.removingPercentEncoding).flatMap(Slug.init(validating:)),
                      let topic = try await releases.topic(slug: slug), let id = topic.id
                else { throw HTTPError(.notFound) }
                return try await feed(request: request, subject: .topic(slug), scope: .topic(id), title: "\(topic.name) on \(settings.siteName)", format: format)
            }
            router.get(SiteURL.Pattern.languageFeed(format)) { request, context in
                guard let tag = context.parameters.get("tag").flatMap(LanguageTag.init), tag.rawValue == context.parameters.get("tag")
                else { throw HTTPError(.notFound) }
                let title = "\(settings.siteName): releases in \(Locale(identifier: "en").localizedString(forIdentifier: tag.rawValue) ?? tag.rawValue)"
                return try await feed(request: request, subject: .language(tag), scope: .language(tag), title: title, format: format, language: tag)
            }
        }
    }

    private var releases: PublicReleases { get throws { PublicReleases(database: try hub.database, now: clock()) } }

    private func feed(request: Request, subject: FeedSubject, scope: FeedScope, title: String, format: FeedFormat, language: LanguageTag? = nil) async throws -> Response {
        let reader = try releases
        // Whole releases, media included (enclosures and attachments).
        let items = try await reader.forFeed(scope, limit: Self.entryLimit)
        if case .language = scope, items.isEmpty { throw HTTPError(.notFound) }
        let representations = ReleaseRepresentations(settings: settings)
        let updated = items.map(\.updatedAt).max()
        let selfURL = SiteURL.feed(subject, format).absolute(base: settings.baseURL)
        let siteURL: URL = switch subject {
        case .site, .language: SiteURL.home().absolute(base: settings.baseURL)
        case .organization(let slug): SiteURL.organization(slug).absolute(base: settings.baseURL)
        case .topic(let slug): SiteURL.topic(slug).absolute(base: settings.baseURL)
        }
        let channel = FeedChannel(
            id: selfURL.absoluteString,
            title: title,
            description: "Press releases: \(title)",
            selfURL: selfURL,
            siteURL: siteURL,
            updated: updated ?? Date(timeIntervalSince1970: 0),
            language: language,
            hubURL: settings.webSubHub
        )
        let entries = items.map(representations.entry)
        let body: Data = switch format {
        case .atom: AtomFeed(channel: channel, entries: entries).xmlData()
        case .rss: RSSFeed(channel: channel, entries: entries).xmlData()
        case .json: try JSONFeed(channel: channel, entries: entries).jsonData()
        }
        return ConditionalResponse.make(
            request: request,
            body: ByteBuffer(bytes: body),
            contentType: "\(format.mediaType); charset=utf-8",
            lastModified: updated,
            freshness: .feed
        )
    }
}
