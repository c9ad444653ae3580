import FluentKit
import Foundation

/// One status change in a release's history (`release_events`).
final class ReleaseEventModel: Model, @unchecked Sendable {
    static let schema = "release_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "release_id") var release: ReleaseModel
    /// `nil` for the event that created the release.
    @OptionalField(key: "from_status") var fromStatus: String?
    @Field(key: "to_status") var toStatus: String
    /// Who made the change: a user's email, or `system:scheduler`, `cli:import`.
    @Field(key: "actor") var actor: String
    @OptionalField(key: "note") var note: String?
    @Field(key: "at") var at: Date

    init() {}

    init(releaseID: String, from: String?, to: String, actor: String, note: String?, at: Date) {
        self.$release.id = releaseID
        fromStatus = from
        toStatus = to
        self.actor = actor
        self.note = note
        self.at = at
    }
}
