import FluentKit
import Foundation

/// An accredited journalist (`journalists`), who may receive personal links to embargoed releases.
final class JournalistModel: Model, @unchecked Sendable {
    static let schema = "journalists"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @OptionalField(key: "outlet") var outlet: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// One journalist's link to one embargoed release (`embargo_links`). Only the SHA-256 of the
/// link's token is stored, so a copy of the database does not open any embargo.
final class EmbargoLinkModel: Model, @unchecked Sendable {
    static let schema = "embargo_links"

    @ID(key: .id) var id: UUID?
    /// Lowercase hex SHA-256 of the token in the URL.
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "release_id") var release: ReleaseModel
    @Parent(key: "journalist_id") var journalist: JournalistModel
    /// The lift time: the link answers nothing from then on.
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// One view of an embargoed release through a personal link (`embargo_views`): who, when, from where.
final class EmbargoViewModel: Model, @unchecked Sendable {
    static let schema = "embargo_views"

    @ID(key: .id) var id: UUID?
    @Parent(key: "link_id") var link: EmbargoLinkModel
    @Field(key: "viewed_at") var viewedAt: Date
    @OptionalField(key: "client_address") var clientAddress: String?
    @OptionalField(key: "user_agent") var userAgent: String?

    init() {}
}
