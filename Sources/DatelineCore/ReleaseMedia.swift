import Foundation

/// The identifier of an attached file or of one of its renditions: 128 random bits as 32
/// lowercase hexadecimal digits, like ``ReleaseID``, so that no media URL can be guessed.
public struct MediaID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// A new identifier from 128 fresh random bits.
    public init() { rawValue = ReleaseID.random128() }

    /// Accepts 32 hexadecimal digits (either case); nil for anything else.
    public init?(_ text: String) {
        guard let valid = ReleaseID.validated(text) else { return nil }
        rawValue = valid
    }

    public var description: String { rawValue }
}

/// A photo or document attached to a release (or an organization's logo), as every format
/// shows it: text about it and its renditions, never its bytes.
public struct ReleaseMedia: Hashable, Sendable {
    public enum Kind: String, Sendable, Codable {
        case image, document
    }

    public var id: MediaID
    public var kind: Kind
    /// What the image shows, for readers who cannot see it (WCAG 2.2, 1.1.1); a document's title.
    public var alt: String
    public var caption: String?
    public var credit: String?
    public var copyright: String?
    /// The release's lead image (at most one per release).
    public var isLead: Bool
    /// The name the file was uploaded under.
    public var fileName: String
    /// The uploaded file's media type (`image/jpeg`, `application/pdf`).
    public var mediaType: String
    /// The uploaded file's size in bytes.
    public var byteSize: Int
    /// An image's size in pixels, upright.
    public var width: Int?
    public var height: Int?
    /// Widest first: an image's renditions, or a document's one (`original`).
    public var renditions: [MediaRendition]

    public init(
        id: MediaID, kind: Kind, alt: String, caption: String? = nil, credit: String? = nil, copyright: String? = nil,
        isLead: Bool = false, fileName: String, mediaType: String, byteSize: Int, width: Int? = nil, height: Int? = nil,
        renditions: [MediaRendition]
    ) {
        self.id = id
        self.kind = kind
        self.alt = alt
        self.caption = caption
        self.credit = credit
        self.copyright = copyright
        self.isLead = isLead
        self.fileName = fileName
        self.mediaType = mediaType
        self.byteSize = byteSize
        self.width = width
        self.height = height
        self.renditions = renditions
    }

    /// The renditions of one media type (`image/webp`), widest first.
    public func renditions(ofType mediaType: String) -> [MediaRendition] {
        renditions.filter { $0.mediaType == mediaType && $0.name != MediaRendition.openGraph }
    }

    /// The widest JPEG rendition (for formats and mail clients that take one image), or the
    /// document itself.
    public var primary: MediaRendition? {
        renditions(ofType: "image/jpeg").first ?? renditions.first { $0.name == MediaRendition.original }
    }

    /// The 1200×630 crop for link previews (Open Graph, twitter:image).
    public var openGraph: MediaRendition? { renditions.first { $0.name == MediaRendition.openGraph } }
}

/// One stored file of a ``ReleaseMedia``: an image resized and re-encoded, or a document as sent.
public struct MediaRendition: Hashable, Sendable {
    /// `w480`, `w960`, `w1600` (widths), `og` (the Open Graph crop) or `original` (a document).
    public var name: String
    public var id: MediaID
    public var mediaType: String
    public var width: Int?
    public var height: Int?
    public var byteSize: Int

    public static let openGraph = "og"
    public static let original = "original"

    public init(name: String, id: MediaID, mediaType: String, width: Int? = nil, height: Int? = nil, byteSize: Int) {
        self.name = name
        self.id = id
        self.mediaType = mediaType
        self.width = width
        self.height = height
        self.byteSize = byteSize
    }

    /// The file name extension of the media type: `jpg`, `webp`, `pdf`.
    public var fileExtension: String { Self.fileExtension(of: mediaType) }

    /// The extension a stored file of `mediaType` is named with (`bin` for a type never stored).
    public static func fileExtension(of mediaType: String) -> String {
        switch mediaType {
        case "image/jpeg": "jpg"
        case "image/webp": "webp"
        case "image/png": "png"
        case "application/pdf": "pdf"
        default: "bin"
        }
    }

    /// The file's name in its public path: `{id}.{extension}`.
    public var fileName: String { "\(id.rawValue).\(fileExtension)" }
}
