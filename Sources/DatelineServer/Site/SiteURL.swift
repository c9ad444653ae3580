import DatelineCore
import Foundation
import Hummingbird

/// Every public address of the site. Routes, links in pages, feeds and (later) emails and
/// sitemaps are all made from this one enum, so they cannot disagree.
enum SiteURL: Hashable {
    case home(page: Int = 1)
    case release(Slug)
    case organization(Slug, page: Int = 1)
    case topic(Slug, page: Int = 1)
    case atomFeed
    case shareOnMastodon
    case stylesheet

    /// Route patterns, in Hummingbird's syntax, for the router.
    enum Pattern {
        static let home: RouterPath = "/"
        static let release: RouterPath = "/releases/:slug"
        static let organization: RouterPath = "/organizations/:slug"
        static let topic: RouterPath = "/topics/:slug"
        static let atomFeed: RouterPath = "/feed.atom"
        static let shareOnMastodon: RouterPath = "/share/mastodon"
    }

    /// The path with its query, percent-encoded, starting with `/`.
    var path: String {
        switch self {
        case .home(let page): page > 1 ? "/?page=\(page)" : "/"
        case .release(let slug): "/releases/\(Self.encode(slug.rawValue))"
        case .organization(let slug, let page): "/organizations/\(Self.encode(slug.rawValue))" + Self.pageQuery(page)
        case .topic(let slug, let page): "/topics/\(Self.encode(slug.rawValue))" + Self.pageQuery(page)
        case .atomFeed: "/feed.atom"
        case .shareOnMastodon: "/share/mastodon"
        case .stylesheet: "/css/site.css"
        }
    }

    /// The absolute address under the site's public base URL.
    func absolute(base: URL) -> URL {
        URL(string: base.absoluteString + path)!
    }

    private static func pageQuery(_ page: Int) -> String { page > 1 ? "?page=\(page)" : "" }

    /// Slugs can hold letters of any script; paths carry them percent-encoded (RFC 3986 §2.1).
    private static func encode(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? segment
    }
}
