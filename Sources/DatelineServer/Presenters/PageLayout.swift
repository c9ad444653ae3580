import DatelineCore
import Foundation

/// What every page's layout (`layout.mustache`) needs: the site, the page's title and language,
/// its feeds (autodiscovery links), and the metadata a release page adds.
///
/// A class: the templates look its keys up through the page (`layout.title`) dozens of times
/// per render, and each lookup hands the value over as `Any`, which copies a struct whole.
final class PageLayout {
    var siteName: String
    var title: String
    var description: String?
    /// BCP 47 tag for `<html lang>`.
    var lang: String
    /// `ltr` or `rtl` for `<html dir>`.
    var dir: String
    var canonicalURL: String?
    var stylesheetPath = SiteURL.stylesheet.path
    var homePath = SiteURL.home().path
    var siteFeedPath = SiteURL.feed(.site, .atom).path
    /// `<link rel="alternate">` for each feed of the page, autodiscovery (RSS Board, Atom §1).
    var feeds: [AlternateLink]
    /// The page's own feeds (an organization's, a topic's, a language's) as visible links, by
    /// format; empty on pages whose only feed is the site's.
    var followFeeds: [AlternateLink] = []
    var hasFollowFeeds = false
    /// Other representations of the page (ninjs, NewsML-G2).
    var alternates: [AlternateLink] = []
    /// Open Graph (`property`) and card (`name`) metadata.
    var meta: [MetaTag] = []
    /// schema.org JSON-LD, already escaped for a script element.
    var jsonLD: String?
    /// Whether the page shows the subscription box (public pages do, newsroom pages do not).
    var showSignUp = true
    /// The newsroom's addresses, for the nav link and the newsroom's templates.
    var newsroom = NewsroomLinks.standard

    init(settings: Settings, title: String, description: String? = nil, language: LanguageTag = .english, canonical: SiteURL? = nil, feeds subject: FeedSubject? = nil, feedTitle: String? = nil) {
        siteName = settings.siteName
        self.title = title
        self.description = description
        lang = language.rawValue
        dir = language.direction
        canonicalURL = canonical?.absolute(base: settings.baseURL).absoluteString
        var feeds: [AlternateLink] = []
        if let subject, let feedTitle {
            feeds += AlternateLink.feeds(subject, title: feedTitle, base: settings.baseURL)
            if subject != .site {
                followFeeds = AlternateLink.visibleFeeds(subject)
                hasFollowFeeds = true
            }
        }
        if subject != .site {
            feeds += AlternateLink.feeds(.site, title: "\(settings.siteName): latest releases", base: settings.baseURL)
        }
        self.feeds = feeds
    }
}

/// A `<link rel="alternate">`: a feed or another representation of the page.
struct AlternateLink {
    var title: String
    var type: String
    var href: String

    /// A subject's feeds as links on the page: the format's name, a site-relative address.
    static func visibleFeeds(_ subject: FeedSubject) -> [AlternateLink] {
        FeedFormat.allCases.map { AlternateLink(title: $0.displayName, type: $0.mediaType, href: SiteURL.feed(subject, $0).path) }
    }

    static func feeds(_ subject: FeedSubject, title: String, base: URL) -> [AlternateLink] {
        FeedFormat.allCases.map { format in
            AlternateLink(title: "\(title) (\(format.displayName))", type: format.mediaType, href: SiteURL.feed(subject, format).absolute(base: base).absoluteString)
        }
    }
}

/// A `<meta>` element: Open Graph uses the `property` attribute, cards use `name`.
struct MetaTag {
    /// `property` or `name`.
    var attribute: String
    var key: String
    var content: String

    static func openGraph(_ key: String, _ content: String) -> MetaTag { MetaTag(attribute: "property", key: key, content: content) }
    static func card(_ key: String, _ content: String) -> MetaTag { MetaTag(attribute: "name", key: key, content: content) }
}

/// "Newer" and "Older" links under a listing. Older pages are addressed by the last release
/// shown (`?before=slug`), so a page's address keeps its releases as new ones are published.
struct Pagination {
    /// Newer releases (rel="prev"), nil on the first page.
    var previousPath: String?
    /// Older releases (rel="next"), nil on the last page.
    var nextPath: String?
    var isPaginated: Bool

    init(_ listing: ListingPage, at position: ListingPosition, path: (ListingPosition) -> SiteURL) {
        if listing.hasNewer, let first = listing.releases.first {
            if case .page(let number) = position { previousPath = path(.page(number - 1)).path } else { previousPath = path(.after(first.slug)).path }
        }
        if listing.hasOlder, let last = listing.releases.last { nextPath = path(.before(last.slug)).path }
        isPaginated = previousPath != nil || nextPath != nil
    }
}

/// Dates as a reader of the release's language expects them ("March 20, 2020", "20 mars 2020").
enum ReleaseDate {
    static func long(_ date: Date, language: LanguageTag, timeZone: TimeZone) -> String {
        var style = Date.FormatStyle(date: .long, time: .omitted, locale: Locale(identifier: language.rawValue), timeZone: timeZone)
        style.timeZone = timeZone
        return date.formatted(style)
    }

    /// `YYYY-MM-DD` for `<time datetime>`.
    static func machine(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        func padded(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(parts.year, 4))-\(padded(parts.month, 2))-\(padded(parts.day, 2))"
    }
}

