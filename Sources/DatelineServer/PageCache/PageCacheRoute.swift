import DatelineCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

/// Which requests the page cache may answer and fill: an explicit list of the public read
/// routes (pages, feeds, ninjs and NewsML-G2, sitemaps, robots.txt), each with the key it is
/// held under and the tags that drop it. Anything else — the newsroom, journalists' embargo
/// links, subscription pages, the Mastodon share form, static files, an odd-shaped path or a
/// query parameter the route does not read — is not a cache route and passes through untouched.
///
/// The key is the path as requested plus a canonical form of the one listing parameter the
/// listing routes read (`page`, `before`, `after`; see ``ListingPosition``). Parameters a route
/// does not read (`utm_source`, `fbclid`, …) are left out of the key and out of the request the
/// route renders (``target``), so a shared link with tracking parameters is answered from the
/// cache, the key names exactly what the route renders, and random query strings cannot fill it.
struct PageCacheRoute: Equatable, Sendable {
    /// Path and canonical query; the same for GET and HEAD.
    let key: String
    /// The path and query the route is asked to render: the key, percent-encoded.
    var target: String
    let tags: Set<PageCacheTag>
    /// Whether the response lists releases, and so must not outlive the next lift time: the read
    /// path hides a release until then whatever its status (see ``PageCache``).
    let listsReleases: Bool

    private static let feedFiles: Set<String> = Set(FeedFormat.allCases.map(\.fileName))
    private static let releaseDocuments: Set<String> = ["ninjs.json", "ninjs3.json", "newsml.xml"]
    private static let listingParameters: Set<String> = ["page", "before", "after"]

    /// The cache route of a request to `uri`, or nil when the cache must stay out of it.
    static func of(_ uri: URI) -> PageCacheRoute? {
        let path = uri.path
        guard path.hasPrefix("/") else { return nil }
        let segments = path == "/" ? [] : path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // "//", a trailing "/": not a shape any public route is written in.
        guard !segments.contains(where: \.isEmpty) else { return nil }
        let listing = PageCacheRoute(key: path, target: path, tags: [.listings], listsReleases: true)

        switch segments.count {
        case 0:
            return listing.withListingQuery(uri)
        case 1:
            if feedFiles.contains(segments[0]) || segments[0] == "sitemap.xml" { return listing.ignoringQuery(uri) }
            // The directories and the archive's list of years.
            if ["organizations", "topics", "languages", "archive"].contains(segments[0]) { return listing.ignoringQuery(uri) }
            if segments[0] == "robots.txt" { return PageCacheRoute(key: path, target: path, tags: [], listsReleases: false).ignoringQuery(uri) }
            return nil
        case 2:
            switch segments[0] {
            case "releases":
                guard let slug = slug(segments[1]) else { return nil }
                return PageCacheRoute(key: path, target: path, tags: [.release(slug), .appeal], listsReleases: false).ignoringQuery(uri)
            case "organizations", "topics":
                guard slug(segments[1]) != nil else { return nil }
                return listing.withListingQuery(uri)
            case "languages":
                guard let tag = LanguageTag(segments[1]), tag.rawValue == segments[1] else { return nil }
                return listing.withListingQuery(uri)
            case "archive":
                guard ArchiveCalendar.isNumber(segments[1], digits: 4) else { return nil }
                return listing.withListingQuery(uri)
            case "sitemaps":
                return segments[1] == "pages.xml" || segments[1] == "news.xml" ? listing.ignoringQuery(uri) : nil
            case "api":
                // The ninjs list reads `page` and `before` only.
                return segments[1] == "ninjs" ? listing.withListingQuery(uri, reads: ["page", "before"]) : nil
            default:
                return nil
            }
        case 3:
            switch segments[0] {
            case "releases":
                guard let slug = slug(segments[1]), releaseDocuments.contains(segments[2]) else { return nil }
                return PageCacheRoute(key: path, target: path, tags: [.release(slug)], listsReleases: false).ignoringQuery(uri)
            case "organizations", "topics":
                guard slug(segments[1]) != nil, feedFiles.contains(segments[2]) else { return nil }
                return listing.ignoringQuery(uri)
            case "languages":
                guard LanguageTag(segments[1]) != nil, feedFiles.contains(segments[2]) else { return nil }
                return listing.ignoringQuery(uri)
            case "archive":
                guard ArchiveCalendar.isNumber(segments[1], digits: 4), ArchiveCalendar.isNumber(segments[2], digits: 2) else { return nil }
                return listing.withListingQuery(uri)
            case "sitemaps":
                // A file of the releases sitemap, named by the route (a number or a week); the
                // route answers 404 for a name it does not know, which is never held.
                guard segments[1] == "releases", segments[2].count <= 16,
                      segments[2].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
                else { return nil }
                return listing.ignoringQuery(uri)
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// A slug as the controllers read it from the path: percent-decoded, then validated. Every
    /// lookup asks this, so a plain ASCII slug (the usual one) is checked by its bytes, by the
    /// same rules as ``Slug/init(validating:)``; anything else takes the controllers' way.
    private static func slug(_ segment: String) -> String? {
        let bytes = segment.utf8
        if bytes.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }) {
            guard !bytes.isEmpty, bytes.count <= Slug.maximumLength + 8, bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-"),
                  !zip(bytes, bytes.dropFirst()).contains(where: { $0 == UInt8(ascii: "-") && $1 == UInt8(ascii: "-") })
            else { return nil }
            return segment
        }
        return segment.removingPercentEncoding.flatMap(Slug.init(validating:))?.rawValue
    }

    /// The route, whatever the query says: the route reads no parameter.
    private func ignoringQuery(_ uri: URI) -> PageCacheRoute? {
        self
    }

    /// The route keyed by its listing position: none, or exactly one of the parameters in
    /// `reads` (`page=<number>`, `before=<slug>`, `after=<slug>`) in canonical form; other
    /// parameters are left out. Two listing parameters, or one that does not parse, pass
    /// through uncached (the route answers 404).
    private func withListingQuery(_ uri: URI, reads: Set<String> = Self.listingParameters) -> PageCacheRoute? {
        guard let query = uri.query, !query.isEmpty else { return self }
        let parameters = uri.queryParameters.filter { Self.listingParameters.contains(String($0.key)) }
        guard let (name, value) = parameters.first.map({ (String($0.key), String($0.value)) }) else { return self }
        guard parameters.count == 1, reads.contains(name) else { return nil }
        let canonical: String
        if name == "page" {
            guard let number = Int(value) else { return nil }
            canonical = String(number)
        } else {
            guard let slug = Slug(validating: value) else { return nil }
            canonical = slug.rawValue
        }
        return PageCacheRoute(key: key + "?" + name + "=" + canonical,
                              target: key + "?" + name + "=" + SiteURL.encodeQueryValue(canonical),
                              tags: tags, listsReleases: listsReleases)
    }
}
