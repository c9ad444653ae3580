import DatelineCore
import Foundation

/// An RSS 2.0 feed (RSS Advisory Board specification 2.0.11) with the full body in
/// `content:encoded` (RSS 1.0 content module) and the issuer in `dc:creator`. An item's one
/// `enclosure` (RSS 2.0 allows one) is the lead image's JPEG, or else the first attachment; every
/// attachment is also a `media:content` (Media RSS 1.5.1) with its alt text and credit.
public struct RSSFeed: Sendable {
    public var channel: FeedChannel
    public var entries: [FeedEntry]

    public init(channel: FeedChannel, entries: [FeedEntry]) {
        self.channel = channel
        self.entries = entries
    }

    public static let mediaType = "application/rss+xml"
    /// Media RSS (https://www.rssboard.org/media-rss).
    public static let mediaRSSNamespace = "http://search.yahoo.com/mrss/"

    /// Serializes the feed as a UTF-8 XML document.
    public func xmlData() -> Data {
        let rss = XMLBuilder.element("rss", attributes: [("version", "2.0")])
        rss.addNamespace(XMLBuilder.namespace("atom", AtomFeed.namespace))
        rss.addNamespace(XMLBuilder.namespace("content", "http://purl.org/rss/1.0/modules/content/"))
        rss.addNamespace(XMLBuilder.namespace("dc", "http://purl.org/dc/elements/1.1/"))
        rss.addNamespace(XMLBuilder.namespace("media", Self.mediaRSSNamespace))
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
        if let enclosure = entry.leadImage ?? entry.attachments.first {
            item.addChild(XMLBuilder.element("enclosure", attributes: [
                ("url", enclosure.url.absoluteString), ("length", String(enclosure.file.byteSize)), ("type", enclosure.file.mediaType),
            ]))
        }
        for attachment in entry.attachments {
            var attributes = [
                ("url", attachment.url.absoluteString), ("type", attachment.file.mediaType), ("fileSize", String(attachment.file.byteSize)),
                ("medium", attachment.media.kind == .image ? "image" : "document"),
            ]
            if attachment.media.isLead { attributes.append(("isDefault", "true")) }
            if let width = attachment.file.width, let height = attachment.file.height {
                attributes += [("width", String(width)), ("height", String(height))]
            }
            let content = XMLBuilder.element("media:content", attributes: attributes)
            content.addChild(XMLBuilder.element("media:description", attachment.media.alt, attributes: [("type", "plain")]))
            if let credit = attachment.media.credit, !credit.isEmpty {
                content.addChild(XMLBuilder.element("media:credit", credit))
            }
            item.addChild(content)
        }
        return item
    }

    /// RFC 822 dates (with four-digit years, as RSS 2.0 recommends), always in GMT.
    static func rfc822(_ date: Date) -> String {
        IMFDate.string(from: date)
    }
}
