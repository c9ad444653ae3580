import FluentKit
import Foundation

/// The text a release had before a correction (`release_versions`), with the correction's note.
final class ReleaseVersionModel: Model, @unchecked Sendable {
    static let schema = "release_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "release_id") var release: ReleaseModel
    /// The version this text was (1 for the first publication).
    @Field(key: "version") var version: Int
    @Field(key: "headline") var headline: String
    @OptionalField(key: "subheadline") var subheadline: String?
    /// Markdown.
    @Field(key: "body") var body: String
    /// What the correction changed and why, shown on the release page.
    @Field(key: "correction_note") var correctionNote: String
    @Field(key: "corrected_at") var correctedAt: Date

    init() {}
}
