import DatelineCore
import Foundation

/// An RSS 2.0 feed (RSS Advisory Board specification 2.0.11) with the full body in
/// `content:encoded` (RSS 1.0 content module) and the issuer in `dc:creator`.
public struct RSSFeed: Sendable {
    public var channel: FeedChannel
    public var entries: [FeedEntry]

    public init(channel: FeedChannel, entries: [FeedEntry]) {
        self.channel = channel
        self.entries = entries
    }

    public static let mediaType = "application/rss+xml"

    /// Serializes the feed as a UTF-8 XML document.
    public func xmlData() -> Data {
        let rss = XMLBuilder.element("rss", attributes: [("version", "2.0")])
        rss.addNamespace(XMLBuilder.namespace("atom", AtomFeed.namespace))
        rss.addNamespace(XMLBuilder.namespace("content", "http://purl.org/rss/1.0/modules/content/"))
        rss.addNamespace(XMLBuilder.namespace("dc", "http://purl.org/dc/elements/1.1/"))
        let element = XMLBuilder.element("channel")
        element.addChild(XMLBuilder.element("title", channel.title))
        element.addChild(XMLBuilder.element("link", channel.siteURL.absoluteString))
        element.addChild(XMLBuilder.element("description", channel.description))
        if let language = channel.language { element.addChild(XMLBuilder.element("language", language.rawValue)) }
        element.addChild(XMLBuilder.element("lastBuildDate", Self.rfc822(channel.updated)))
        element.addChild(XMLBuilder.element("generator", "Dateline"))
        element.addChild(XMLBuilder.element("atom:link", attributes: [("rel", "self"), ("href", channel.selfURL.absoluteString), ("type", Self.mediaType)]))
        if let hub = channel.hubURL {
            element.addChild(XMLBuilder.element("atom:link", attributes: [("rel", "hub"), ("href", hub.absoluteString)]))
        }
        for entry in entries {
            element.addChild(Self.item(for: entry))
        }
        rss.addChild(element)
        return XMLBuilder.data(root: rss)
    }

    private static func item(for entry: FeedEntry) -> XMLTag {
        let release = entry.release
        let item = XMLBuilder.element("item")
        item.addChild(XMLBuilder.element("title", entry.title))
        item.addChild(XMLBuilder.element("link", entry.url.absoluteString))
        item.addChild(XMLBuilder.element("guid", entry.id, attributes: [("isPermaLink", "false")]))
        item.addChild(XMLBuilder.element("pubDate", rfc822(release.publishedAt ?? release.updatedAt)))
        item.addChild(XMLBuilder.element("atom:updated", XMLBuilder.timestamp(release.updatedAt)))
        item.addChild(XMLBuilder.element("dc:creator", release.organization.name))
        item.addChild(XMLBuilder.element("dc:language", release.language.rawValue))
        for topic in release.topics {
            item.addChild(XMLBuilder.element("category", topic.name))
        }
        item.addChild(XMLBuilder.element("description", release.isRetracted ? FeedEntry.retractionNotice : (release.subheadline ?? release.headline)))
        item.addChild(XMLBuilder.element("content:encoded", entry.feedHTML))
        return item
    }

    /// RFC 822 dates (with four-digit years, as RSS 2.0 recommends), always in GMT.
    static func rfc822(_ date: Date) -> String {
        IMFDate.string(from: date)
    }
}
