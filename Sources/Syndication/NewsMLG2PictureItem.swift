import DatelineCore
import Foundation

/// One photo of a release as an IPTC NewsML-G2 2.35 picture `newsItem`: its alt text as the
/// headline, caption, credit and copyright, and a `remoteContent` for each rendition (type,
/// size in bytes, width and height in pixels). The release's text item links to it
/// (`irel:associatedWith`). It validates against `NewsML-G2_2.35-spec-All-Power.xsd`.
public struct NewsMLG2PictureItem: Sendable {
    public var entry: FeedEntry
    public var media: ReleaseMedia

    public init(entry: FeedEntry, media: ReleaseMedia) {
        self.entry = entry
        self.media = media
    }

    /// The picture item's permanent id: the release's, with the photo's id.
    public var guid: String { entry.id + ":picture:" + media.id.rawValue }

    /// The item as a UTF-8 XML document.
    public func xmlData() -> Data {
        let release = entry.release
        let item = XMLBuilder.element("newsItem", attributes: [
            ("guid", guid), ("version", String(release.version)), ("standard", "NewsML-G2"),
            ("standardversion", "2.35"), ("conformance", "power"), ("xml:lang", release.language.rawValue),
        ])
        item.addNamespace(XMLBuilder.namespace("", NewsMLG2Item.namespace))
        item.addChild(XMLBuilder.element("catalogRef", attributes: [("href", NewsMLG2Item.catalog)]))
        if let copyright = media.copyright {
            let rights = XMLBuilder.element("rightsInfo")
            rights.addChild(XMLBuilder.element("copyrightNotice", copyright))
            item.addChild(rights)
        }

        let itemMeta = XMLBuilder.element("itemMeta")
        itemMeta.addChild(XMLBuilder.element("itemClass", attributes: [("qcode", "ninat:picture")]))
        itemMeta.addChild(XMLBuilder.element("provider", attributes: [("literal", release.organization.name)]))
        itemMeta.addChild(XMLBuilder.element("versionCreated", XMLBuilder.timestamp(release.updatedAt)))
        itemMeta.addChild(XMLBuilder.element("pubStatus", attributes: [("qcode", "stat:usable")]))
        itemMeta.addChild(XMLBuilder.element("link", attributes: [("rel", "irel:associatedWith"), ("href", entry.url.absoluteString), ("contenttype", "text/html")]))
        item.addChild(itemMeta)

        let contentMeta = XMLBuilder.element("contentMeta")
        contentMeta.addChild(XMLBuilder.element("language", attributes: [("tag", release.language.rawValue)]))
        contentMeta.addChild(XMLBuilder.element("headline", media.alt))
        if let credit = media.credit {
            contentMeta.addChild(XMLBuilder.element("creditline", credit))
        }
        if let caption = media.caption {
            contentMeta.addChild(XMLBuilder.element("description", caption, attributes: [("role", "drol:caption")]))
        }
        item.addChild(contentMeta)

        let contentSet = XMLBuilder.element("contentSet")
        for rendition in media.renditions {
            guard let url = entry.url(of: rendition) else { continue }
            var attributes = [("href", url.absoluteString), ("contenttype", rendition.mediaType), ("size", String(rendition.byteSize))]
            if let width = rendition.width { attributes.append(("width", String(width))) }
            if let height = rendition.height { attributes.append(("height", String(height))) }
            contentSet.addChild(XMLBuilder.element("remoteContent", attributes: attributes))
        }
        item.addChild(contentSet)
        return XMLBuilder.data(root: item)
    }
}
