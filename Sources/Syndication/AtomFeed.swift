import DatelineCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One Atom entry (RFC 4287 §4.1.2): a published release with its public URL and its body
/// already rendered to sanitized HTML.
public struct AtomEntry: Sendable {
    public var release: Release
    /// The release page, used as the entry's `alternate` link.
    public var url: URL
    /// The body as sanitized HTML; carried in `<content type="html">`, escaped by the XML builder.
    public var contentHTML: String
    /// The entry's permanent identifier (RFC 4287 §4.2.6): it never changes when the headline
    /// or slug do.
    public var id: String

    public init(release: Release, url: URL, contentHTML: String, id: String) {
        self.release = release
        self.url = url
        self.contentHTML = contentHTML
        self.id = id
    }
}

/// An Atom feed document (RFC 4287 §4.1.1) of published releases.
public struct AtomFeed: Sendable {
    public var id: String
    public var title: String
    /// The feed's own address (`rel="self"`).
    public var selfURL: URL
    /// The HTML page the feed mirrors (`rel="alternate"`).
    public var siteURL: URL
    /// The latest change among the entries, or the feed's creation when it has none.
    public var updated: Date
    public var entries: [AtomEntry]

    public init(id: String, title: String, selfURL: URL, siteURL: URL, updated: Date, entries: [AtomEntry]) {
        self.id = id
        self.title = title
        self.selfURL = selfURL
        self.siteURL = siteURL
        self.updated = updated
        self.entries = entries
    }

    /// The Atom namespace, RFC 4287 §2.
    public static let namespace = "http://www.w3.org/2005/Atom"
    /// The registered media type, RFC 4287 §7.
    public static let mediaType = "application/atom+xml"

    /// Serializes the feed as a UTF-8 XML document. Every text goes through the XML builder,
    /// so markup in a headline or body arrives as text, never as elements.
    public func xmlData() -> Data {
        let feed = XMLElement(name: "feed")
        feed.addNamespace(XMLNode.namespace(withName: "", stringValue: Self.namespace) as! XMLNode)
        feed.addChild(Self.text("id", id))
        feed.addChild(Self.text("title", title))
        feed.addChild(Self.text("updated", Self.timestamp(updated)))
        feed.addChild(Self.link(rel: "self", href: selfURL, type: Self.mediaType))
        feed.addChild(Self.link(rel: "alternate", href: siteURL, type: "text/html"))
        let generator = Self.text("generator", "Dateline")
        feed.addChild(generator)
        for entry in entries {
            feed.addChild(Self.element(for: entry))
        }
        let document = XMLDocument(rootElement: feed)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlData(options: [.nodePrettyPrint])
    }

    private static func element(for entry: AtomEntry) -> XMLElement {
        let release = entry.release
        let element = XMLElement(name: "entry")
        element.addChild(text("id", entry.id))
        let title = text("title", release.headline)
        title.addAttribute(attribute("type", "text"))
        element.addChild(title)
        element.addChild(text("updated", timestamp(release.updatedAt)))
        element.addChild(text("published", timestamp(release.publishedAt ?? release.updatedAt)))
        let author = XMLElement(name: "author")
        author.addChild(text("name", release.organization.name))
        if let website = release.organization.website {
            author.addChild(text("uri", website.absoluteString))
        }
        element.addChild(author)
        element.addChild(link(rel: "alternate", href: entry.url, type: "text/html", language: release.language.rawValue))
        for topic in release.topics {
            let category = XMLElement(name: "category")
            category.addAttribute(attribute("term", topic.slug.rawValue))
            category.addAttribute(attribute("label", topic.name))
            element.addChild(category)
        }
        if let subheadline = release.subheadline {
            element.addChild(text("summary", subheadline))
        }
        let content = text("content", entry.contentHTML)
        content.addAttribute(attribute("type", "html"))
        content.addAttribute(attribute("xml:lang", release.language.rawValue))
        element.addChild(content)
        return element
    }

    private static func text(_ name: String, _ value: String) -> XMLElement {
        XMLElement(name: name, stringValue: XMLText.clean(value))
    }

    private static func attribute(_ name: String, _ value: String) -> XMLNode {
        XMLNode.attribute(withName: name, stringValue: XMLText.clean(value)) as! XMLNode
    }

    private static func link(rel: String, href: URL, type: String, language: String? = nil) -> XMLElement {
        let link = XMLElement(name: "link")
        link.addAttribute(attribute("rel", rel))
        link.addAttribute(attribute("href", href.absoluteString))
        link.addAttribute(attribute("type", type))
        if let language { link.addAttribute(attribute("hreflang", language)) }
        return link
    }

    /// RFC 3339 `date-time` in UTC, as RFC 4287 §3.3 requires.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
