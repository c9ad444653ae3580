import DatelineCore
import FluentKit
import Foundation

/// A photo or document attached to a release, or an organization's logo (`media`). Its bytes
/// are in its renditions; the uploaded file itself is not kept (its metadata may say where the
/// photo was taken).
final class MediaModel: Model, @unchecked Sendable {
    static let schema = "media"

    /// A ``MediaID``: 32 random hexadecimal digits.
    @ID(custom: "id", generatedBy: .user) var id: String?
    @OptionalParent(key: "release_id") var release: ReleaseModel?
    /// Set for an organization's logo (then `release_id` is null).
    @OptionalParent(key: "organization_id") var organization: OrganizationModel?
    /// `image` or `document`.
    @Field(key: "kind") var kind: String
    /// The writer's order, from 0.
    @Field(key: "position") var position: Int
    @Field(key: "is_lead") var isLead: Bool
    @Field(key: "alt") var alt: String
    @OptionalField(key: "caption") var caption: String?
    @OptionalField(key: "credit") var credit: String?
    @OptionalField(key: "copyright") var copyright: String?
    @Field(key: "file_name") var fileName: String
    @Field(key: "media_type") var mediaType: String
    @Field(key: "byte_size") var byteSize: Int
    @OptionalField(key: "width") var width: Int?
    @OptionalField(key: "height") var height: Int?
    @Field(key: "created_at") var createdAt: Date
    @Children(for: \.$media) var renditions: [MediaRenditionModel]

    init() {}

    /// The domain value; `renditions` must be loaded.
    var media: ReleaseMedia {
        ReleaseMedia(
            id: MediaID(id ?? "") ?? MediaID(), kind: ReleaseMedia.Kind(rawValue: kind) ?? .document, alt: alt,
            caption: caption, credit: credit, copyright: copyright, isLead: isLead, fileName: fileName,
            mediaType: mediaType, byteSize: byteSize, width: width, height: height,
            renditions: renditions.map(\.rendition).sorted { ($0.width ?? 0) > ($1.width ?? 0) }
        )
    }
}

/// One stored file of a media item (`media_renditions`): its name, type and size. The bytes are
/// in `media_blobs`, read only when the file is served.
final class MediaRenditionModel: Model, @unchecked Sendable {
    static let schema = "media_renditions"

    /// A ``MediaID``, distinct from its media's: the file's public name.
    @ID(custom: "id", generatedBy: .user) var id: String?
    @Parent(key: "media_id") var media: MediaModel
    /// `w480`, `w960`, `w1600`, `og` or `original`.
    @Field(key: "name") var name: String
    @Field(key: "media_type") var mediaType: String
    @OptionalField(key: "width") var width: Int?
    @OptionalField(key: "height") var height: Int?
    @Field(key: "byte_size") var byteSize: Int

    init() {}

    var rendition: MediaRendition {
        MediaRendition(name: name, id: MediaID(id ?? "") ?? MediaID(), mediaType: mediaType, width: width, height: height, byteSize: byteSize)
    }
}

/// The bytes of one rendition (`media_blobs`), kept apart so that listing media never reads them.
final class MediaBlobModel: Model, @unchecked Sendable {
    static let schema = "media_blobs"

    /// The rendition's id.
    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "bytes") var bytes: Data

    init() {}

    init(renditionID: String, bytes: Data) {
        self.id = renditionID
        self.bytes = bytes
    }
}
