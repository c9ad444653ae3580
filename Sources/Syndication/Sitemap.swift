import Foundation

/// Sitemaps (sitemaps.org protocol 0.9): an index of sitemap pages, the pages themselves, and a
/// Google News sitemap of the last two days' releases.
public enum Sitemap {
    public static let namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    public static let newsNamespace = "http://www.google.com/schemas/sitemap-news/0.9"
    /// The protocol's limit of URLs in one sitemap file.
    public static let maximumURLs = 50_000

    /// One address in a sitemap.
    public struct Location: Sendable {
        public var url: URL
        public var lastModified: Date?

        public init(url: URL, lastModified: Date?) {
            self.url = url
            self.lastModified = lastModified
        }
    }

    /// One release in a news sitemap.
    public struct NewsLocation: Sendable {
        public var url: URL
        public var publicationName: String
        public var language: String
        public var published: Date
        public var title: String

        public init(url: URL, publicationName: String, language: String, published: Date, title: String) {
            self.url = url
            self.publicationName = publicationName
            self.language = language
            self.published = published
            self.title = title
        }
    }

    /// A `sitemapindex` listing sitemap files.
    public static func index(_ sitemaps: [Location]) -> Data {
        let root = XMLBuilder.element("sitemapindex")
        root.addNamespace(XMLBuilder.namespace("", namespace))
        for sitemap in sitemaps {
            let element = XMLBuilder.element("sitemap")
            element.addChild(XMLBuilder.element("loc", sitemap.url.absoluteString))
            if let date = sitemap.lastModified { element.addChild(XMLBuilder.element("lastmod", XMLBuilder.timestamp(date))) }
            root.addChild(element)
        }
        return XMLBuilder.data(root: root)
    }

    /// A `urlset` of pages (at most ``maximumURLs``).
    public static func urlSet(_ locations: [Location]) -> Data {
        let root = XMLBuilder.element("urlset")
        root.addNamespace(XMLBuilder.namespace("", namespace))
        for location in locations.prefix(maximumURLs) {
            let element = XMLBuilder.element("url")
            element.addChild(XMLBuilder.element("loc", location.url.absoluteString))
            if let date = location.lastModified { element.addChild(XMLBuilder.element("lastmod", XMLBuilder.timestamp(date))) }
            root.addChild(element)
        }
        return XMLBuilder.data(root: root)
    }

    /// A news sitemap: a `urlset` with `news:news` for each release.
    public static func news(_ locations: [NewsLocation]) -> Data {
        let root = XMLBuilder.element("urlset")
        root.addNamespace(XMLBuilder.namespace("", namespace))
        root.addNamespace(XMLBuilder.namespace("news", newsNamespace))
        for location in locations.prefix(1000) {
            let element = XMLBuilder.element("url")
            element.addChild(XMLBuilder.element("loc", location.url.absoluteString))
            let news = XMLBuilder.element("news:news")
            let publication = XMLBuilder.element("news:publication")
            publication.addChild(XMLBuilder.element("news:name", location.publicationName))
            publication.addChild(XMLBuilder.element("news:language", location.language))
            news.addChild(publication)
            news.addChild(XMLBuilder.element("news:publication_date", XMLBuilder.timestamp(location.published)))
            news.addChild(XMLBuilder.element("news:title", location.title))
            element.addChild(news)
            root.addChild(element)
        }
        return XMLBuilder.data(root: root)
    }
}
