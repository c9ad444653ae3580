import DatelineCore
import Foundation

/// An Atom feed document (RFC 4287 §4.1.1) of published releases.
public struct AtomFeed: Sendable {
    public var channel: FeedChannel
    public var entries: [FeedEntry]

    public init(channel: FeedChannel, entries: [FeedEntry]) {
        self.channel = channel
        self.entries = entries
    }

    /// The Atom namespace, RFC 4287 §2.
    public static let namespace = "http://www.w3.org/2005/Atom"
    /// The registered media type, RFC 4287 §7.
    public static let mediaType = "application/atom+xml"

    /// Serializes the feed as a UTF-8 XML document.
    public func xmlData() -> Data {
        let feed = XMLBuilder.element("feed")
        feed.addNamespace(XMLBuilder.namespace("", Self.namespace))
        if let language = channel.language { feed.addAttribute(XMLBuilder.attribute("xml:lang", language.rawValue)) }
        feed.addChild(XMLBuilder.element("id", channel.id))
        feed.addChild(XMLBuilder.element("title", channel.title))
        feed.addChild(XMLBuilder.element("subtitle", channel.description))
        feed.addChild(XMLBuilder.element("updated", XMLBuilder.timestamp(channel.updated)))
        feed.addChild(XMLBuilder.element("link", attributes: [("rel", "self"), ("href", channel.selfURL.absoluteString), ("type", Self.mediaType)]))
        feed.addChild(XMLBuilder.element("link", attributes: [("rel", "alternate"), ("href", channel.siteURL.absoluteString), ("type", "text/html")]))
        if let hub = channel.hubURL {
            feed.addChild(XMLBuilder.element("link", attributes: [("rel", "hub"), ("href", hub.absoluteString)]))
        }
        feed.addChild(XMLBuilder.element("generator", "Dateline"))
        for entry in entries {
            feed.addChild(Self.element(for: entry))
        }
        return XMLBuilder.data(root: feed)
    }

    private static func element(for entry: FeedEntry) -> XMLTag {
        let release = entry.release
        let element = XMLBuilder.element("entry")
        element.addChild(XMLBuilder.element("id", entry.id))
        element.addChild(XMLBuilder.element("title", entry.title, attributes: [("type", "text")]))
        element.addChild(XMLBuilder.element("updated", XMLBuilder.timestamp(release.updatedAt)))
        element.addChild(XMLBuilder.element("published", XMLBuilder.timestamp(release.publishedAt ?? release.updatedAt)))
        let author = XMLBuilder.element("author")
        author.addChild(XMLBuilder.element("name", release.organization.name))
        if let website = release.organization.website {
            author.addChild(XMLBuilder.element("uri", website.absoluteString))
        }
        element.addChild(author)
        element.addChild(XMLBuilder.element("link", attributes: [("rel", "alternate"), ("href", entry.url.absoluteString), ("type", "text/html"), ("hreflang", release.language.rawValue)]))
        for topic in release.topics {
            element.addChild(XMLBuilder.element("category", attributes: [("term", topic.slug.rawValue), ("label", topic.name)]))
        }
        // RFC 4287 §4.2.7.2: each attached file as an enclosure, with its type and length in bytes.
        for attachment in entry.attachments {
            element.addChild(XMLBuilder.element("link", attributes: [
                ("rel", "enclosure"), ("href", attachment.url.absoluteString), ("type", attachment.file.mediaType),
                ("length", String(attachment.file.byteSize)), ("title", attachment.media.alt),
            ]))
        }
        if let subheadline = release.subheadline, !release.isRetracted {
            element.addChild(XMLBuilder.element("summary", subheadline))
        }
        element.addChild(XMLBuilder.element("content", entry.feedHTML, attributes: [("type", "html"), ("xml:lang", release.language.rawValue)]))
        return element
    }
}
