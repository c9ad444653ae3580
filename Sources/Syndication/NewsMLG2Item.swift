import DatelineCore
import Foundation

/// A release as an IPTC NewsML-G2 2.35 `newsItem` (text), with the body as XHTML in `inlineXML`
/// and each attached file, and each photo's picture item (``NewsMLG2PictureItem``), linked from `itemMeta`.
/// It validates against `NewsML-G2_2.35-spec-All-Power.xsd`.
public struct NewsMLG2Item: Sendable {
    public var entry: FeedEntry
    /// The address of each photo's picture item (``NewsMLG2PictureItem``), by the photo's id.
    public var pictureItemURLs: [MediaID: URL]

    public init(entry: FeedEntry, pictureItemURLs: [MediaID: URL] = [:]) {
        self.entry = entry
        self.pictureItemURLs = pictureItemURLs
    }

    /// The registered media type of a NewsML-G2 news item.
    public static let mediaType = "application/vnd.iptc.g2.newsitem+xml"
    public static let namespace = "http://iptc.org/std/nar/2006-10-01/"
    static let xhtmlNamespace = "http://www.w3.org/1999/xhtml"
    /// IPTC's catalog of the standard's controlled vocabularies (ninat:, stat:, ...).
    static let catalog = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"

    /// The news item as a UTF-8 XML document.
    public func xmlData() -> Data {
        let release = entry.release
        let item = XMLBuilder.element("newsItem", attributes: [
            ("guid", entry.id), ("version", String(release.version)), ("standard", "NewsML-G2"),
            ("standardversion", "2.35"), ("conformance", "power"), ("xml:lang", release.language.rawValue),
        ])
        item.addNamespace(XMLBuilder.namespace("", Self.namespace))
        item.addChild(XMLBuilder.element("catalogRef", attributes: [("href", Self.catalog)]))

        let itemMeta = XMLBuilder.element("itemMeta")
        itemMeta.addChild(XMLBuilder.element("itemClass", attributes: [("qcode", "ninat:text")]))
        itemMeta.addChild(XMLBuilder.element("provider", attributes: [("literal", release.organization.name)]))
        itemMeta.addChild(XMLBuilder.element("versionCreated", XMLBuilder.timestamp(release.updatedAt)))
        itemMeta.addChild(XMLBuilder.element("firstCreated", XMLBuilder.timestamp(release.publishedAt ?? release.updatedAt)))
        if let lift = release.timing.liftTime {
            itemMeta.addChild(XMLBuilder.element("embargoed", XMLBuilder.timestamp(lift)))
        }
        itemMeta.addChild(XMLBuilder.element("pubStatus", attributes: [("qcode", release.isRetracted ? "stat:canceled" : "stat:usable")]))
        if release.isRetracted {
            itemMeta.addChild(XMLBuilder.element("edNote", FeedEntry.retractionNotice))
        }
        itemMeta.addChild(XMLBuilder.element("link", attributes: [("rel", "irel:seeAlso"), ("href", entry.url.absoluteString), ("contenttype", "text/html")]))
        // Each attached photo (its widest JPEG) and document, as links with type, size and alt text.
        for attachment in entry.attachments {
            itemMeta.addChild(XMLBuilder.element("link", attributes: [
                ("rel", "irel:seeAlso"), ("href", attachment.url.absoluteString), ("contenttype", attachment.file.mediaType),
                ("size", String(attachment.file.byteSize)), ("title", attachment.media.alt),
            ]))
        }
        // Each photo's own picture item, with all its renditions.
        for attachment in entry.attachments where attachment.media.kind == .image {
            guard let url = pictureItemURLs[attachment.media.id] else { continue }
            itemMeta.addChild(XMLBuilder.element("link", attributes: [
                ("rel", "irel:associatedWith"), ("href", url.absoluteString), ("contenttype", Self.mediaType), ("title", attachment.media.alt),
            ]))
        }
        item.addChild(itemMeta)

        let contentMeta = XMLBuilder.element("contentMeta")
        contentMeta.addChild(XMLBuilder.element("contentCreated", XMLBuilder.timestamp(release.releasedAt)))
        if let dateline = release.dateline {
            let located = XMLBuilder.element("located", attributes: [("literal", dateline.city)])
            located.addChild(XMLBuilder.element("name", dateline.printed))
            contentMeta.addChild(located)
        }
        let creator = XMLBuilder.element("creator", attributes: [("literal", release.organization.slug.rawValue)])
        creator.addChild(XMLBuilder.element("name", release.organization.name))
        if let website = release.organization.website {
            let details = XMLBuilder.element("organisationDetails")
            let contactInfo = XMLBuilder.element("contactInfo")
            contactInfo.addChild(XMLBuilder.element("web", website.absoluteString))
            details.addChild(contactInfo)
            creator.addChild(details)
        }
        contentMeta.addChild(creator)
        // Media contacts are contributors with their contact details (personDetails/contactInfo).
        for contact in release.contacts {
            let contributor = XMLBuilder.element("contributor", attributes: [("literal", "mediacontact")])
            contributor.addChild(XMLBuilder.element("name", [contact.name, contact.title].compactMap { $0 }.joined(separator: ", ")))
            if contact.email != nil || contact.phone != nil {
                let details = XMLBuilder.element("personDetails")
                let contactInfo = XMLBuilder.element("contactInfo")
                if let email = contact.email { contactInfo.addChild(XMLBuilder.element("email", email)) }
                if let phone = contact.phone { contactInfo.addChild(XMLBuilder.element("phone", phone)) }
                details.addChild(contactInfo)
                contributor.addChild(details)
            }
            contentMeta.addChild(contributor)
        }
        contentMeta.addChild(XMLBuilder.element("language", attributes: [("tag", release.language.rawValue)]))
        for topic in release.topics {
            let subject = XMLBuilder.element("subject", attributes: [("type", "cpnat:abstract"), ("literal", topic.slug.rawValue)])
            subject.addChild(XMLBuilder.element("name", topic.name))
            contentMeta.addChild(subject)
        }
        contentMeta.addChild(XMLBuilder.element("headline", entry.title))
        if let subheadline = release.subheadline, !release.isRetracted {
            contentMeta.addChild(XMLBuilder.element("headline", subheadline, attributes: [("role", "hdltype:sub")]))
        }
        item.addChild(contentMeta)

        let contentSet = XMLBuilder.element("contentSet")
        contentSet.addChild(content(title: entry.title))
        item.addChild(contentSet)
        return XMLBuilder.data(root: item)
    }

    /// The body as an XHTML document inside `inlineXML`. cmark-gfm's HTML is well-formed XML;
    /// should a fragment ever fail to parse, its text is carried in `inlineData` instead, so
    /// the item is always valid.
    private func content(title: String) -> XMLTag {
        let html = XMLText.clean(entry.feedHTML)
        let wrapped = "<body xmlns=\"\(Self.xhtmlNamespace)\">\(html)</body>"
        if let body = try? XMLTag(wellFormed: wrapped) {
            let inline = XMLBuilder.element("inlineXML", attributes: [("contenttype", "application/xhtml+xml")])
            let document = XMLBuilder.element("html")
            document.addNamespace(XMLBuilder.namespace("", Self.xhtmlNamespace))
            let head = XMLBuilder.element("head")
            head.addChild(XMLBuilder.element("title", title))
            document.addChild(head)
            document.addChild(body)
            inline.addChild(document)
            return inline
        }
        return XMLBuilder.element("inlineData", html, attributes: [("contenttype", "text/html")])
    }
}
