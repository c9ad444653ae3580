import DatelineCore
import Foundation

/// A JSON Feed 1.1 document (https://www.jsonfeed.org/version/1.1/), encoded by `JSONEncoder`.
public struct JSONFeed: Sendable {
    public var channel: FeedChannel
    public var entries: [FeedEntry]

    public init(channel: FeedChannel, entries: [FeedEntry]) {
        self.channel = channel
        self.entries = entries
    }

    public static let mediaType = "application/feed+json"
    public static let version = "https://jsonfeed.org/version/1.1"

    struct Document: Encodable {
        var version: String
        var title: String
        var home_page_url: String
        var feed_url: String
        var description: String
        var language: String?
        var hubs: [Hub]?
        var items: [Item]
    }

    struct Hub: Encodable {
        var type: String
        var url: String
    }

    struct Author: Encodable {
        var name: String
        var url: String?
    }

    struct Item: Encodable {
        var id: String
        var url: String
        var title: String
        var summary: String?
        var content_html: String
        var date_published: String
        var date_modified: String
        var authors: [Author]
        var tags: [String]?
        var language: String
        /// The lead image's JPEG (JSON Feed 1.1 `image`).
        var image: String?
        /// Each attached file (JSON Feed 1.1 `attachments`).
        var attachments: [Attachment]?
        /// JSON Feed extension (§ "Extensions"): the dateline, which the format has no field for.
        var _dateline: Dateline?
    }

    struct Attachment: Encodable {
        var url: String
        var mime_type: String
        var title: String?
        var size_in_bytes: Int
    }

    struct Dateline: Encodable {
        var city: String
        var printed: String
    }

    /// The feed as UTF-8 JSON.
    /// - Throws: `EncodingError` from `JSONEncoder` (not expected: every value is a string).
    public func jsonData() throws -> Data {
        let document = Document(
            version: Self.version,
            title: channel.title,
            home_page_url: channel.siteURL.absoluteString,
            feed_url: channel.selfURL.absoluteString,
            description: channel.description,
            language: channel.language?.rawValue,
            hubs: channel.hubURL.map { [Hub(type: "WebSub", url: $0.absoluteString)] },
            items: entries.map { entry in
                let release = entry.release
                return Item(
                    id: entry.id,
                    url: entry.url.absoluteString,
                    title: entry.title,
                    summary: release.isRetracted ? FeedEntry.retractionNotice : release.subheadline,
                    content_html: entry.feedHTML,
                    date_published: XMLBuilder.timestamp(release.publishedAt ?? release.updatedAt),
                    date_modified: XMLBuilder.timestamp(release.updatedAt),
                    authors: [Author(name: release.organization.name, url: release.organization.website?.absoluteString)],
                    tags: release.topics.isEmpty ? nil : release.topics.map(\.name),
                    language: release.language.rawValue,
                    image: entry.leadImage?.url.absoluteString,
                    attachments: entry.attachments.isEmpty ? nil : entry.attachments.map {
                        Attachment(url: $0.url.absoluteString, mime_type: $0.file.mediaType, title: $0.media.alt.isEmpty ? nil : $0.media.alt, size_in_bytes: $0.file.byteSize)
                    },
                    _dateline: release.dateline.map {
                        Dateline(city: $0.city, printed: $0.printed)
                    }
                )
            }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }
}
