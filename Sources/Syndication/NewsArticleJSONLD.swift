import DatelineCore
import Foundation

/// schema.org `NewsArticle` structured data for a release page, as JSON-LD (W3C JSON-LD 1.1).
///
/// The JSON is made safe to sit inside `<script type="application/ld+json">`: `<`, `>` and
/// `&` are written as `\u003c`, `\u003e` and `\u0026`, so no text can close the element
/// (HTML Living Standard, "Restrictions for contents of script elements").
public struct NewsArticleJSONLD: Sendable {
    public var entry: FeedEntry
    public var siteName: String
    public var siteURL: URL

    public init(entry: FeedEntry, siteName: String, siteURL: URL) {
        self.entry = entry
        self.siteName = siteName
        self.siteURL = siteURL
    }

    struct Document: Encodable {
        var context = "https://schema.org"
        var type = "NewsArticle"
        var headline: String
        var alternativeHeadline: String?
        var dateline: String?
        var datePublished: String
        var dateModified: String
        var inLanguage: String
        var author: Party
        var publisher: Party
        var isAccessibleForFree = true
        var isBasedOn: String?
        var mainEntityOfPage: String
        var url: String
        var keywords: [String]?
        var articleBody: String?
        var image: [ImageObject]?

        enum CodingKeys: String, CodingKey {
            case context = "@context", type = "@type"
            case headline, alternativeHeadline, dateline, datePublished, dateModified, inLanguage, author, publisher
            case isAccessibleForFree, isBasedOn, mainEntityOfPage, url, keywords, articleBody, image
        }
    }

    /// schema.org `ImageObject`: a file of an attached image with its size and text.
    struct ImageObject: Encodable {
        var type = "ImageObject"
        var url: String
        var contentUrl: String
        var encodingFormat: String
        var width: Int?
        var height: Int?
        var description: String?
        var caption: String?
        var creditText: String?
        var copyrightNotice: String?

        enum CodingKeys: String, CodingKey {
            case type = "@type", url, contentUrl, encodingFormat, width, height, description, caption, creditText, copyrightNotice
        }
    }

    /// The images: the lead image first (its widest JPEG, then its 1200×630 crop), then the others'.
    private var images: [ImageObject] {
        let attached = entry.attachments.filter { $0.media.kind == .image }
        let ordered = attached.filter(\.media.isLead) + attached.filter { !$0.media.isLead }
        return ordered.flatMap { media, file, url in
            var files = [(file, url)]
            if media.isLead, let crop = media.openGraph, let cropURL = entry.url(of: crop) { files.append((crop, cropURL)) }
            return files.map { file, url in
                ImageObject(
                    url: url.absoluteString, contentUrl: url.absoluteString, encodingFormat: file.mediaType, width: file.width, height: file.height,
                    description: media.alt.isEmpty ? nil : media.alt, caption: media.caption.flatMap { $0.isEmpty ? nil : $0 },
                    creditText: media.credit.flatMap { $0.isEmpty ? nil : $0 }, copyrightNotice: media.copyright.flatMap { $0.isEmpty ? nil : $0 }
                )
            }
        }
    }

    struct Party: Encodable {
        var type = "Organization"
        var name: String
        var url: String?

        enum CodingKeys: String, CodingKey { case type = "@type", name, url }
    }

    /// The JSON-LD text, ready to be placed unescaped inside a `<script type="application/ld+json">`.
    /// - Throws: `EncodingError` from `JSONEncoder`.
    public func scriptContent() throws -> String {
        let release = entry.release
        let document = Document(
            headline: String(release.headline.prefix(110)),
            alternativeHeadline: release.subheadline,
            dateline: release.dateline?.printed,
            datePublished: Self.timestamp(release.publishedAt ?? release.updatedAt, in: release.timeZone),
            dateModified: Self.timestamp(release.updatedAt, in: release.timeZone),
            inLanguage: release.language.rawValue,
            author: Party(name: release.organization.name, url: release.organization.website?.absoluteString),
            publisher: Party(name: siteName, url: siteURL.absoluteString),
            isBasedOn: release.statementURL?.absoluteString,
            mainEntityOfPage: entry.url.absoluteString,
            url: entry.url.absoluteString,
            keywords: release.topics.isEmpty ? nil : release.topics.map(\.name),
            articleBody: nil,
            image: images.isEmpty ? nil : images
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Self.scriptSafe(try encoder.encode(document))
    }

    /// JSON text that cannot end its `<script>` element or start markup: `<`, `>` and `&` as
    /// `\u003c`, `\u003e` and `\u0026`, and the line and paragraph separators (U+2028, U+2029) as
    /// escapes too; one pass over the UTF-8 bytes. Every one of them can only stand inside a JSON
    /// string, where the escape means the same character.
    static func scriptSafe(_ data: Data) -> String {
        let json = [UInt8](data)
        var out: [UInt8] = []
        out.reserveCapacity(json.count + 16)
        var index = 0
        while index < json.count {
            let byte = json[index]
            switch byte {
            case UInt8(ascii: "<"): out.append(contentsOf: "\\u003c".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "\\u003e".utf8)
            case UInt8(ascii: "&"): out.append(contentsOf: "\\u0026".utf8)
            case 0xE2 where index + 2 < json.count && json[index + 1] == 0x80 && (json[index + 2] == 0xA8 || json[index + 2] == 0xA9):
                out.append(contentsOf: (json[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                index += 2
            default: out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// ISO 8601 with the release's zone offset, as schema.org's `DateTime` expects.
    static func timestamp(_ date: Date, in zone: TimeZone) -> String {
        var style = Date.ISO8601FormatStyle(timeZone: zone)
        style.timeZone = zone
        return date.formatted(style)
    }
}
