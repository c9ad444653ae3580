import DatelineCore
import Foundation
import Hummingbird

/// The formats every feed is offered in.
enum FeedFormat: String, CaseIterable {
    case atom, rss, json

    /// The file name under the feed's folder: `feed.atom`, `feed.rss`, `feed.json`.
    var fileName: String { "feed.\(rawValue)" }

    var mediaType: String {
        switch self {
        case .atom: "application/atom+xml"
        case .rss: "application/rss+xml"
        case .json: "application/feed+json"
        }
    }

    var displayName: String {
        switch self {
        case .atom: "Atom"
        case .rss: "RSS"
        case .json: "JSON Feed"
        }
    }
}

/// The feeds' subjects, by slug, as they appear in URLs.
enum FeedSubject: Hashable {
    case site
    case organization(Slug)
    case topic(Slug)
    case language(LanguageTag)
}

/// Every public address of the site. Links in pages, feeds, sitemaps and agency formats are all
/// made from this one enum, and the router's patterns sit beside the paths they match.
enum SiteURL: Hashable {
    case home(ListingPosition = .first)
    case release(Slug)
    case organization(Slug, ListingPosition = .first)
    case topic(Slug, ListingPosition = .first)
    /// The directories: organizations A–Z with their counts, topics, languages.
    case organizations
    case topics
    case languages
    /// A language's releases, newest first.
    case language(LanguageTag, ListingPosition = .first)
    /// The date archive: the years, a year's months and releases, a month's releases (UTC).
    case archive
    case archiveYear(Int, ListingPosition = .first)
    case archiveMonth(Int, Int, ListingPosition = .first)
    case feed(FeedSubject, FeedFormat)
    case ninjs(Slug, NinjsVersion)
    case newsML(Slug)
    /// A photo of a release as a NewsML-G2 picture item.
    case newsMLPicture(Slug, MediaID)
    case ninjsList(page: Int = 1)
    /// The ninjs list after one release (`?before=slug`).
    case ninjsListBefore(Slug)
    case sitemapIndex
    case sitemapPages
    /// The sitemap file of releases dated in one week.
    case sitemapReleases(SitemapWeek)
    case newsSitemap
    case robots
    case embargoed(token: String)
    case shareOnMastodon
    case stylesheet
    /// The sign-up form's target (POST).
    case subscribe
    /// A media file of a public release, or a logo: `/media/{id}.{extension}`.
    case media(MediaRendition)
    /// A media file of an embargoed release, through a journalist's link.
    case embargoedMedia(token: String, MediaRendition)
    /// The page with the button that confirms a subscription.
    case confirmSubscription(token: String)
    /// A subscriber's preferences.
    case subscription(token: String)
    /// The one-click unsubscribe address (RFC 8058) and its page.
    case unsubscribe(token: String)

    enum NinjsVersion: Hashable { case v2, v3 }

    /// Route patterns, in Hummingbird's syntax, for the router.
    enum Pattern {
        static let home: RouterPath = "/"
        static let release: RouterPath = "/releases/:slug"
        static let organization: RouterPath = "/organizations/:slug"
        static let topic: RouterPath = "/topics/:slug"
        static let organizations: RouterPath = "/organizations"
        static let topics: RouterPath = "/topics"
        static let languages: RouterPath = "/languages"
        static let language: RouterPath = "/languages/:tag"
        static let archive: RouterPath = "/archive"
        static let archiveYear: RouterPath = "/archive/:year"
        static let archiveMonth: RouterPath = "/archive/:year/:month"
        static func siteFeed(_ format: FeedFormat) -> RouterPath { RouterPath("/\(format.fileName)") }
        static func organizationFeed(_ format: FeedFormat) -> RouterPath { RouterPath("/organizations/:slug/\(format.fileName)") }
        static func topicFeed(_ format: FeedFormat) -> RouterPath { RouterPath("/topics/:slug/\(format.fileName)") }
        static func languageFeed(_ format: FeedFormat) -> RouterPath { RouterPath("/languages/:tag/\(format.fileName)") }
        static let ninjs2: RouterPath = "/releases/:slug/ninjs.json"
        static let ninjs3: RouterPath = "/releases/:slug/ninjs3.json"
        static let newsML: RouterPath = "/releases/:slug/newsml.xml"
        static let newsMLPicture: RouterPath = "/releases/:slug/media/:file/newsml.xml"
        static let ninjsList: RouterPath = "/api/ninjs"
        static let sitemapIndex: RouterPath = "/sitemap.xml"
        static let sitemapPages: RouterPath = "/sitemaps/pages.xml"
        static let sitemapReleases: RouterPath = "/sitemaps/releases/:week"
        static let newsSitemap: RouterPath = "/sitemaps/news.xml"
        static let robots: RouterPath = "/robots.txt"
        static let embargoed: RouterPath = "/embargoed/:token"
        static let shareOnMastodon: RouterPath = "/share/mastodon"
        static let subscribe: RouterPath = "/subscribe"
        static let media: RouterPath = "/media/:file"
        static let embargoedMedia: RouterPath = "/embargoed/:token/media/:file"
        static let confirmSubscription: RouterPath = "/subscription/confirm"
        static let subscription: RouterPath = "/subscription"
        static let unsubscribe: RouterPath = "/unsubscribe"
    }

    /// The path with its query, percent-encoded, starting with `/`.
    var path: String {
        switch self {
        case .home(let position): "/" + position.query
        case .release(let slug): "/releases/\(Self.encode(slug.rawValue))"
        case .organization(let slug, let position): "/organizations/\(Self.encode(slug.rawValue))" + position.query
        case .topic(let slug, let position): "/topics/\(Self.encode(slug.rawValue))" + position.query
        case .organizations: "/organizations"
        case .topics: "/topics"
        case .languages: "/languages"
        case .language(let tag, let position): "/languages/\(tag.rawValue)" + position.query
        case .archive: "/archive"
        case .archiveYear(let year, let position): "/archive/\(year)" + position.query
        case .archiveMonth(let year, let month, let position): "/archive/\(year)/" + (month < 10 ? "0\(month)" : "\(month)") + position.query
        case .feed(.site, let format): "/\(format.fileName)"
        case .feed(.organization(let slug), let format): "/organizations/\(Self.encode(slug.rawValue))/\(format.fileName)"
        case .feed(.topic(let slug), let format): "/topics/\(Self.encode(slug.rawValue))/\(format.fileName)"
        case .feed(.language(let tag), let format): "/languages/\(tag.rawValue)/\(format.fileName)"
        case .ninjs(let slug, .v2): "/releases/\(Self.encode(slug.rawValue))/ninjs.json"
        case .ninjs(let slug, .v3): "/releases/\(Self.encode(slug.rawValue))/ninjs3.json"
        case .newsML(let slug): "/releases/\(Self.encode(slug.rawValue))/newsml.xml"
        case .newsMLPicture(let slug, let id): "/releases/\(Self.encode(slug.rawValue))/media/\(id.rawValue)/newsml.xml"
        case .ninjsList(let page): "/api/ninjs" + Self.pageQuery(page)
        case .ninjsListBefore(let slug): "/api/ninjs" + ListingPosition.before(slug).query
        case .sitemapIndex: "/sitemap.xml"
        case .sitemapPages: "/sitemaps/pages.xml"
        case .sitemapReleases(let week): "/sitemaps/releases/\(week.name)"
        case .newsSitemap: "/sitemaps/news.xml"
        case .robots: "/robots.txt"
        case .embargoed(let token): "/embargoed/\(token)"
        case .shareOnMastodon: "/share/mastodon"
        case .stylesheet: "/css/site.css"
        case .subscribe: "/subscribe"
        case .media(let rendition): "/media/\(rendition.fileName)"
        case .embargoedMedia(let token, let rendition): "/embargoed/\(token)/media/\(rendition.fileName)"
        // Tokens are base64url, safe in a query as they are.
        case .confirmSubscription(let token): "/subscription/confirm?token=\(token)"
        case .subscription(let token): "/subscription?token=\(token)"
        case .unsubscribe(let token): "/unsubscribe?token=\(token)"
        }
    }

    /// The absolute address under the site's public base URL.
    func absolute(base: URL) -> URL {
        URL(string: absoluteString(base: base))!
    }

    /// ``absolute(base:)`` as text, without parsing it into a URL (mail writes two per message).
    func absoluteString(base: URL) -> String {
        base.absoluteString + path
    }

    private static func pageQuery(_ page: Int) -> String { page > 1 ? "?page=\(page)" : "" }

    /// A query parameter's value, percent-encoded (RFC 3986 §3.4; `&`, `=`, `+` and `#` too).
    static func encodeQueryValue(_ value: String) -> String {
        PercentEncoding.encode(value, allowing: .queryValue)
    }

    /// Slugs can hold letters of any script; paths carry them percent-encoded (RFC 3986 §2.1).
    private static func encode(_ segment: String) -> String {
        PercentEncoding.encode(segment, allowing: .pathSegment)
    }
}
