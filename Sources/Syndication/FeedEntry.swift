import DatelineCore
import Foundation

/// One published release as every feed format sees it: the release, its public URL, its body
/// already rendered to sanitized HTML, and its permanent id.
public struct FeedEntry: Sendable {
    public var release: Release
    /// The release page.
    public var url: URL
    /// The body as sanitized HTML (cmark-gfm safe mode); feeds carry it escaped.
    public var contentHTML: String
    /// The permanent identifier (RFC 4287 §4.2.6, RSS `guid`, JSON Feed `id`): unchanged by a
    /// new headline or slug.
    public var id: String
    /// The absolute address of each of the release's media files, by rendition id; a rendition
    /// without one is left out of every format.
    public var mediaURLs: [MediaID: URL]

    public init(release: Release, url: URL, contentHTML: String, id: String, mediaURLs: [MediaID: URL] = [:]) {
        self.release = release
        self.url = url
        self.contentHTML = contentHTML
        self.id = id
        self.mediaURLs = mediaURLs
    }

    /// A rendition's absolute address, when the entry has one for it.
    public func url(of rendition: MediaRendition) -> URL? { mediaURLs[rendition.id] }

    /// What formats that take one file per attachment carry: each media item's primary file
    /// (an image's widest JPEG, a document as sent) with its address, in the writer's order.
    /// None for a retracted release, whose media follow it off the site.
    public var attachments: [(media: ReleaseMedia, file: MediaRendition, url: URL)] {
        guard !release.isRetracted else { return [] }
        return release.media.compactMap { media in
            guard let file = media.primary, let url = url(of: file) else { return nil }
            return (media, file, url)
        }
    }

    /// The lead image's primary JPEG and its address.
    public var leadImage: (media: ReleaseMedia, file: MediaRendition, url: URL)? {
        attachments.first { $0.media.isLead && $0.media.kind == .image }
    }

    /// The words printed for a retracted release, in every format, instead of its text.
    public static let retractionNotice = "Notice to disregard: this release has been retracted by its issuer."

    /// The title a feed shows: the headline, marked when the release is retracted.
    public var title: String {
        release.isRetracted ? "Retracted: \(release.headline)" : release.headline
    }

    /// The HTML a feed carries: the dateline and body, or the retraction notice.
    public var feedHTML: String {
        if release.isRetracted { return "<p><strong>\(FeedEntry.escape(Self.retractionNotice))</strong></p>" }
        guard let dateline = release.dateline else { return contentHTML }
        return "<p class=\"dateline\">\(FeedEntry.escape(dateline.printed))</p>\n" + contentHTML
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// What a feed document says about itself, whatever its format.
public struct FeedChannel: Sendable {
    /// The feed's permanent id (Atom `id`); its own URL by convention.
    public var id: String
    public var title: String
    public var description: String
    /// The feed's own address (`rel="self"`, JSON Feed `feed_url`).
    public var selfURL: URL
    /// The HTML page the feed mirrors.
    public var siteURL: URL
    /// The newest change among the entries, or the epoch when there are none.
    public var updated: Date
    /// BCP 47 tag when every entry is in one language.
    public var language: LanguageTag?
    /// A WebSub hub that subscribers may use (W3C WebSub §4), advertised as `rel="hub"`.
    public var hubURL: URL?

    public init(id: String, title: String, description: String, selfURL: URL, siteURL: URL, updated: Date, language: LanguageTag? = nil, hubURL: URL? = nil) {
        self.id = id
        self.title = title
        self.description = description
        self.selfURL = selfURL
        self.siteURL = siteURL
        self.updated = updated
        self.language = language
        self.hubURL = hubURL
    }
}
