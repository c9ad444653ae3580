import DatelineCore
import Foundation
import Mustache

/// One attachment in the newsroom's list on the release page (`newsroom-edit.mustache`): its
/// thumbnail, what it is, its text, and the addresses of the forms that change it. Images and
/// documents alike; a document's thumbnail is empty and its size 0 × 0.
struct AttachmentRow: Sendable {
    /// The attachment's ``MediaID`` (32 hex digits), also used to make the form fields' ids unique.
    var id: String
    var fileName: String
    /// "PNG image, 64 × 40 px, 1.2 KB" or "PDF document, 12 KB".
    var detail: String
    var isImage: Bool
    var isLead: Bool
    /// The smallest JPEG rendition through the newsroom's preview route; empty for a document.
    var thumbnail: String
    /// The thumbnail's size in pixels (0 for a document).
    var thumbnailWidth: Int
    var thumbnailHeight: Int
    /// The widest JPEG or the document itself, through the newsroom's preview route.
    var fileURL: String
    var alt: String
    var caption: String
    var credit: String
    /// An image without alt text: its field is marked, and the release cannot be submitted.
    var missingAlt: Bool
    var describeAction: String
    var moveAction: String
    var leadAction: String
    var removeAction: String
    var canMoveUp: Bool
    var canMoveDown: Bool

    /// The row of `media`, `index` of `count` in the writer's order, on release `releaseID`.
    init(_ media: ReleaseMedia, releaseID: String, index: Int, count: Int) {
        let id = media.id.rawValue
        self.id = id
        fileName = media.fileName
        isImage = media.kind == .image
        isLead = media.isLead
        let smallest = media.renditions(ofType: "image/jpeg").last
        thumbnail = smallest.map { NewsroomURL.releaseMedia(id: releaseID, file: $0.fileName).path } ?? ""
        thumbnailWidth = smallest?.width ?? 0
        thumbnailHeight = smallest?.height ?? 0
        fileURL = media.primary.map { NewsroomURL.releaseMedia(id: releaseID, file: $0.fileName).path } ?? ""
        alt = media.alt
        caption = media.caption ?? ""
        credit = media.credit ?? ""
        missingAlt = isImage && media.alt.isEmpty
        let pixels = media.width.flatMap { width in media.height.map { "\(width) × \($0) px" } }
        detail = [Self.typeName(media.mediaType), pixels, Self.size(media.byteSize)].compactMap { $0 }.joined(separator: ", ")
        describeAction = NewsroomURL.describeAttachment(id: releaseID, media: id).path
        moveAction = NewsroomURL.moveAttachment(id: releaseID, media: id).path
        leadAction = NewsroomURL.leadAttachment(id: releaseID, media: id).path
        removeAction = NewsroomURL.removeAttachment(id: releaseID, media: id).path
        canMoveUp = index > 0
        canMoveDown = index < count - 1
    }

    /// For fixtures: every field given.
    init(
        id: String, fileName: String, detail: String, isImage: Bool, isLead: Bool, thumbnail: String, thumbnailWidth: Int, thumbnailHeight: Int,
        fileURL: String, alt: String, caption: String, credit: String, missingAlt: Bool, describeAction: String, moveAction: String,
        leadAction: String, removeAction: String, canMoveUp: Bool, canMoveDown: Bool
    ) {
        self.id = id
        self.fileName = fileName
        self.detail = detail
        self.isImage = isImage
        self.isLead = isLead
        self.thumbnail = thumbnail
        self.thumbnailWidth = thumbnailWidth
        self.thumbnailHeight = thumbnailHeight
        self.fileURL = fileURL
        self.alt = alt
        self.caption = caption
        self.credit = credit
        self.missingAlt = missingAlt
        self.describeAction = describeAction
        self.moveAction = moveAction
        self.leadAction = leadAction
        self.removeAction = removeAction
        self.canMoveUp = canMoveUp
        self.canMoveDown = canMoveDown
    }

    /// A media type as the writer knows it: "JPEG image", "PDF document".
    static func typeName(_ mediaType: String) -> String {
        switch mediaType {
        case "image/jpeg": "JPEG image"
        case "image/png": "PNG image"
        case "image/webp": "WebP image"
        case "image/heic": "HEIC image"
        case "image/avif": "AVIF image"
        case "application/pdf": "PDF document"
        default: mediaType
        }
    }

    /// A size in bytes as "512 bytes", "12 KB" or "1.4 MB" (1 KB = 1,024 bytes).
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1_048_576 { return "\((bytes + 512) / 1024) KB" }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}

extension AttachmentRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "fileName": fileName
        case "detail": detail
        case "isImage": isImage
        case "isLead": isLead
        case "thumbnail": thumbnail
        case "thumbnailWidth": thumbnailWidth
        case "thumbnailHeight": thumbnailHeight
        case "fileURL": fileURL
        case "alt": alt
        case "caption": caption
        case "credit": credit
        case "missingAlt": missingAlt
        case "describeAction": describeAction
        case "moveAction": moveAction
        case "leadAction": leadAction
        case "removeAction": removeAction
        case "canMoveUp": canMoveUp
        case "canMoveDown": canMoveDown
        default: nil
        }
    }
}
