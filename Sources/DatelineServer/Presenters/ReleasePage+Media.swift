import DatelineCore
import Foundation

/// Where a page points the reader's browser for a release's media files: the public path
/// (`/media/{file}`), a journalist's embargo link (`/embargoed/{token}/media/{file}`), or another
/// reader's route (the newsroom's preview) given as a function of the rendition.
struct MediaLinks: Sendable {
    /// The path (site-relative, percent-encoded) of a rendition's file.
    let path: @Sendable (MediaRendition) -> String
    /// Whether these are public addresses that link previews and structured data may name.
    let isPublic: Bool

    init(isPublic: Bool = false, path: @escaping @Sendable (MediaRendition) -> String) {
        self.isPublic = isPublic
        self.path = path
    }

    /// `/media/{id}.{extension}`, served once the release is listed and lifted.
    static let `public` = MediaLinks(isPublic: true) { SiteURL.media($0).path }

    /// Through a journalist's personal link, before the lift time.
    static func embargoed(token: String) -> MediaLinks {
        MediaLinks { SiteURL.embargoedMedia(token: token, $0).path }
    }
}

/// An image as a release page prints it: a `<picture>` with WebP and JPEG sources (srcset with
/// `w` descriptors, HTML Living Standard §4.8.4.2), the intrinsic size set on the `<img>` so the
/// page does not shift when it loads, alt text, and caption and credit in a `<figcaption>`.
struct PictureView {
    var alt: String
    var caption: String?
    var credit: String?
    /// Whether a `<figcaption>` is printed (a caption or a credit).
    var hasFigcaption: Bool
    /// The fallback `src`: the JPEG nearest 960 px wide.
    var src: String
    /// `url 480w, url 960w, …` of the JPEG and WebP renditions.
    var jpegSrcset: String
    var webpSrcset: String
    var hasWebp: Bool
    /// The layout width the image takes, for the browser's choice of rendition.
    var sizes: String
    /// The image's size in pixels (upright), for `width` and `height`.
    var width: Int
    var height: Int

    /// nil for a document or an image without a JPEG rendition.
    init?(_ media: ReleaseMedia, links: MediaLinks, sizes: String) {
        let jpegs = media.renditions(ofType: "image/jpeg")
        guard media.kind == .image, let widest = jpegs.first else { return nil }
        let webps = media.renditions(ofType: "image/webp")
        func srcset(_ renditions: [MediaRendition]) -> String {
            renditions.reversed().map { "\(links.path($0)) \($0.width ?? 0)w" }.joined(separator: ", ")
        }
        alt = media.alt
        caption = media.caption.flatMap { $0.isEmpty ? nil : $0 }
        credit = media.credit.flatMap { $0.isEmpty ? nil : $0 }
        hasFigcaption = caption != nil || credit != nil
        let fallback = jpegs.min { abs(($0.width ?? 0) - 960) < abs(($1.width ?? 0) - 960) } ?? widest
        src = links.path(fallback)
        jpegSrcset = srcset(jpegs)
        webpSrcset = srcset(webps)
        hasWebp = !webps.isEmpty
        self.sizes = sizes
        width = media.width ?? widest.width ?? 0
        height = media.height ?? widest.height ?? 0
    }

    /// The column width of a release: the full width on a phone, 42rem (the measure) beyond.
    static let articleSizes = "(max-width: 44rem) calc(100vw - 2.5rem), 42rem"
    /// Gallery images sit two to a row beside each other.
    static let gallerySizes = "(max-width: 44rem) calc(50vw - 1.75rem), 20rem"
}

/// A document attached to a release, as a link with its type and size ("PDF, 1.2 MB").
struct DocumentLink {
    var title: String
    var url: String
    /// The name it was uploaded under, offered for saving.
    var fileName: String
    /// The kind of file in words: `PDF`.
    var type: String
    /// The size in KB or MB (1 KB = 1,000 bytes, as the SI prefixes).
    var size: String

    init?(_ media: ReleaseMedia, links: MediaLinks) {
        guard media.kind == .document, let file = media.primary else { return nil }
        title = media.alt.isEmpty ? media.fileName : media.alt
        url = links.path(file)
        fileName = media.fileName
        type = file.mediaType == "application/pdf" ? "PDF" : file.fileExtension.uppercased()
        size = Self.size(file.byteSize)
    }

    /// `820 KB`, `1.2 MB`: one decimal under 10 MB, whole numbers above.
    static func size(_ bytes: Int) -> String {
        if bytes < 1_000_000 { return "\(max(1, (bytes + 500) / 1_000)) KB" }
        let megabytes = Double(bytes) / 1_000_000
        return megabytes < 10 ? String(format: "%.1f MB", megabytes) : "\(Int(megabytes.rounded())) MB"
    }
}

/// A listing row's small picture: the lead image's narrowest renditions.
struct ThumbnailView {
    var alt: String
    var src: String
    var webpSrc: String?
    var width: Int
    var height: Int

    init?(_ media: ReleaseMedia?, links: MediaLinks = .public) {
        guard let media, media.kind == .image, let jpeg = media.renditions(ofType: "image/jpeg").last else { return nil }
        alt = media.alt
        src = links.path(jpeg)
        webpSrc = media.renditions(ofType: "image/webp").last.map(links.path)
        width = jpeg.width ?? media.width ?? 0
        height = jpeg.height ?? media.height ?? 0
    }
}

extension ReleasePage {
    /// Fills the lead image, the gallery (the other images, in the writer's order) and the
    /// document links from the release's media.
    mutating func setMedia(_ media: [ReleaseMedia], links: MediaLinks) {
        let lead = media.first { $0.isLead && $0.kind == .image }
        leadImage = lead.flatMap { PictureView($0, links: links, sizes: PictureView.articleSizes) }
        gallery = media.filter { $0.kind == .image && $0.id != lead?.id }.compactMap { PictureView($0, links: links, sizes: PictureView.gallerySizes) }
        hasGallery = !gallery.isEmpty
        documents = media.compactMap { DocumentLink($0, links: links) }
        hasDocuments = !documents.isEmpty
    }

    /// Open Graph's image (the 1200×630 crop, absolute, with its size and alt) and the large
    /// summary card (X/Twitter cards), when the release has a lead image.
    static func imageMetadata(_ lead: ReleaseMedia?, settings: Settings) -> [MetaTag] {
        guard let lead, let image = lead.openGraph ?? lead.primary else { return [] }
        let url = SiteURL.media(image).absoluteString(base: settings.baseURL)
        var tags: [MetaTag] = [.openGraph("og:image", url), .openGraph("og:image:type", image.mediaType)]
        if let width = image.width, let height = image.height {
            tags += [.openGraph("og:image:width", String(width)), .openGraph("og:image:height", String(height))]
        }
        tags += [.openGraph("og:image:alt", lead.alt), .card("twitter:image", url), .card("twitter:image:alt", lead.alt)]
        return tags
    }
}
